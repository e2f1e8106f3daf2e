package dev.neper.fleet.runner.cuda;

import dev.neper.fleet.runner.testing.Commands;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The libcuda test double (src/test/resources/cuda/libcuda_double.c), compiled with gcc into
 * {@code dir/libcuda.so.1} with the variant's -D flags, and read back through its exported counters.
 * The local module's image tests mount its directory where the NVIDIA libraries go.
 */
public final class CudaDoubleLibrary {
    public final Path directory;
    public final Path library;
    private final SymbolLookup symbols;

    private CudaDoubleLibrary(Path directory) {
        this.directory = directory;
        this.library = directory.resolve(CudaLibrary.SONAME);
        this.symbols = SymbolLookup.libraryLookup(library, Arena.global());
    }

    public static CudaDoubleLibrary compile(Path directory, String... defines) throws IOException {
        Files.createDirectories(directory);
        Path source = directory.resolve("libcuda_double.c");
        try (InputStream in = CudaDoubleLibrary.class.getResourceAsStream("/cuda/libcuda_double.c")) {
            Files.copy(in, source);
        }
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O1", "-Wall", "-Werror"));
        for (String define : defines) {
            command.add("-D" + define);
        }
        command.addAll(List.of("-o", directory.resolve(CudaLibrary.SONAME).toString(), source.toString()));
        Commands.check(command.toArray(String[]::new));
        return new CudaDoubleLibrary(directory);
    }

    @SuppressWarnings("restricted")
    private MemorySegment symbol(String name, long size) {
        return symbols.find(name).orElseThrow().reinterpret(size);
    }

    int intCounter(String name) {
        return symbol(name, 4).get(ValueLayout.JAVA_INT, 0);
    }

    long longCounter(String name) {
        return symbol(name, 8).get(ValueLayout.JAVA_LONG, 0);
    }
}
