package dev.neper.fleet.runner.sys;

import java.io.IOException;

/**
 * The host lacks something a run needs: a device, a driver feature, a kernel feature, a library. The
 * message names what is missing and where (which link, which device), so the operator can show it as is.
 */
public class MissingSupportException extends IOException {
    public MissingSupportException(String message) {
        super(message);
    }

    public MissingSupportException(String message, Throwable cause) {
        super(message, cause);
    }
}
