package dev.neper.fleet.runner.cuda;

import java.io.IOException;

/** A CUDA driver call that returned an error: the call, the CUresult, its name and the driver's text. */
public final class CudaException extends IOException {
    private final String call;
    private final int result;

    public CudaException(String call, int result, String name, String text) {
        super(call + ": " + (name != null ? name : "CUDA error") + " (" + result + ")"
                + (text != null ? ": " + text : ""));
        this.call = call;
        this.result = result;
    }

    public String call() {
        return call;
    }

    public int result() {
        return result;
    }
}
