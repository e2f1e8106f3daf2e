package dev.neper.fleet.runner.contract;

import java.util.List;

/**
 * The host-wide prerequisites of a memory mode as discover checked them ({@code --preflight MODE}, the
 * doctor's checks that need no link: kernel, netlink families and bind ops, CAP_NET_ADMIN, /dev/udmabuf
 * or libcuda and the GPUs' dma-buf support); the per-link ones are each device's {@code devmem}.
 *
 * @param mode     the memory mode checked (udmabuf, cuda)
 * @param passed   no check failed
 * @param failures the failed checks, "check: detail", each at most {@link #MAX_FAILURE} characters
 */
public record Preflight(String mode, boolean passed, List<String> failures) {
    public static final int MAX_FAILURE = 160;

    public Preflight {
        failures = failures == null ? List.of() : List.copyOf(failures);
    }
}
