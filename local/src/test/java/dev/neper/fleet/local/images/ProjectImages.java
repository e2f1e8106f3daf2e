package dev.neper.fleet.local.images;

import dev.neper.fleet.local.container.Podman;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The project's two images, built by bin/build-images once per test run (the first test that asks
 * builds them; podman's layer cache makes a rebuild of unchanged sources take seconds) and tagged
 * with names of this run's own: a build in another checkout of the same machine may move the
 * project's tags meanwhile, and these names keep pointing at what this checkout built. The tags are
 * removed when the run ends. Tests get it as a parameter: {@code @ExtendWith(ProjectImages.Extension.class)}.
 */
public final class ProjectImages implements AutoCloseable {
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A cold build (base images from debootstrap, the runner compiled in its build stage) takes about 2 min. */
    private static final long BUILD_TIMEOUT_MINUTES = 15;

    private final Podman podman;
    private final String runner;
    private final String operator;

    private ProjectImages(Podman podman, String runner, String operator) {
        this.podman = podman;
        this.runner = runner;
        this.operator = operator;
    }

    /** The runner image, as this run's own name. */
    public String runner() {
        return runner;
    }

    /** The operator image, as this run's own name. */
    public String operator() {
        return operator;
    }

    public Podman podman() {
        return podman;
    }

    /** The names of the containers a local fleet started and has not removed, running or not. */
    public List<String> containersOf(String fleetId) {
        return podman.containersLabelled(Podman.FLEET_LABEL, fleetId);
    }

    static ProjectImages build() throws IOException, InterruptedException {
        Podman podman = Podman.require();
        Path work = Files.createTempDirectory("neper-images-");
        Path ids = work.resolve("ids");
        Path log = work.resolve("build-images.log");
        Process build = new ProcessBuilder(ROOT.resolve("bin/build-images").toString(), "--ids", ids.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            build.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            build.destroyForcibly();
            throw new AssertionError("bin/build-images did not finish in " + BUILD_TIMEOUT_MINUTES + " min: "
                    + Files.readString(log));
        }
        String output = Files.readString(log);
        if (build.exitValue() != 0) {
            throw new AssertionError("bin/build-images failed (" + build.exitValue() + "): " + output);
        }
        System.out.println(output);
        Map<String, String> built = Files.readAllLines(ids).stream().map(line -> line.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        String run = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        String runner = "localhost/neper-fleet-test/runner:" + run;
        String operator = "localhost/neper-fleet-test/operator:" + run;
        podman.run("tag", built.get("runner"), runner);
        podman.run("tag", built.get("operator"), operator);
        try (var files = Files.list(work)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(work);
        return new ProjectImages(podman, runner, operator);
    }

    /** Removes this run's names; an image no other name holds (the project's tag moved on) goes with them. */
    @Override
    public void close() {
        for (String name : List.of(runner, operator)) {
            try {
                podman.run("rmi", "--ignore", name);
            } catch (IllegalStateException e) {
                System.err.println("cannot remove the test image " + name + ": " + e.getMessage());
            }
        }
    }

    /** Resolves a {@link ProjectImages} parameter: built once for the whole run, closed when the run ends. */
    public static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ProjectImages.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(ProjectImages.class))
                    .computeIfAbsent(ProjectImages.class, key -> {
                        try {
                            return build();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }, ProjectImages.class);
        }
    }
}
