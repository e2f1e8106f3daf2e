package dev.neper.fleet.runner.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the runner looks for the CUDA driver library, libcuda.so.1, in this order:
 * <ol>
 *   <li>{@code $CUDA_LIB_DIR/libcuda.so.1}, the neper seed's variable, when it is set;</li>
 *   <li>{@code /var/lib/nvidia/lib64/libcuda.so.1}, the seed's default (GKE's driver installer);</li>
 *   <li>{@code /usr/local/nvidia/lib64/libcuda.so.1}, where GKE's device plugin mounts the driver;</li>
 *   <li>{@code libcuda.so.1} through the dynamic loader (LD_LIBRARY_PATH, ld.so.cache).</li>
 * </ol>
 * The first file that exists is used; if none does, the loader's own search is the last try.
 */
public final class CudaLibrary {
    public static final String VARIABLE = "CUDA_LIB_DIR";
    public static final String SONAME = "libcuda.so.1";
    public static final List<Path> DEFAULT_DIRECTORIES =
            List.of(Path.of("/var/lib/nvidia/lib64"), Path.of("/usr/local/nvidia/lib64"));

    private CudaLibrary() {
    }

    /** The candidate files, in search order, for an environment. */
    public static List<Path> candidates(Map<String, String> environment) {
        List<Path> paths = new ArrayList<>();
        String dir = environment.get(VARIABLE);
        if (dir != null && !dir.isBlank()) {
            paths.add(Path.of(dir).resolve(SONAME));
        }
        for (Path d : DEFAULT_DIRECTORIES) {
            paths.add(d.resolve(SONAME));
        }
        return paths;
    }

    /** The first candidate file that exists, or null: then the loader's search by soname is the last resort. */
    public static Path locate(Map<String, String> environment) {
        return candidates(environment).stream().filter(Files::exists).findFirst().orElse(null);
    }
}
