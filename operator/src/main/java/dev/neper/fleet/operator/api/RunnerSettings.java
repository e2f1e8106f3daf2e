package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The runner container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunnerSettings(
        @Size(min = 1, max = 512)
        @JsonPropertyDescription("Runner image. When absent, the operator's default (its neper.runner.image setting).")
        String image,

        @JsonPropertyDescription("When the kubelet pulls the image: Always, IfNotPresent or Never. When absent, Kubernetes'"
                + " default for the image's tag.")
        PullPolicy imagePullPolicy,

        @Default(DEFAULT_NVIDIA_LIBRARIES)
        @Size(min = 1, max = 4096)
        @Pattern("^/.*")
        @JsonPropertyDescription("Host directory holding the NVIDIA driver libraries (libcuda.so*), mounted read-only in"
                + " cuda mode; the runner finds it through CUDA_LIB_DIR. GKE's path is the default; /var/lib/nvidia/lib64"
                + " on some images, /usr/lib/x86_64-linux-gnu on DLVM.")
        String nvidiaLibraries,

        @Min(0) @Max(16)
        @JsonPropertyDescription("nvidia.com/gpu the runner pod requests on each node, cuda mode only. When absent, one per"
                + " link of that node; 0 requests none (the pod still reaches every GPU, being privileged).")
        Integer gpusPerNode) {

    public static final String DEFAULT_NVIDIA_LIBRARIES = "/home/kubernetes/bin/nvidia/lib64";
    public static final RunnerSettings DEFAULT = new RunnerSettings(null, null, null, null);

    public String nvidiaLibrariesOrDefault() {
        return nvidiaLibraries == null ? DEFAULT_NVIDIA_LIBRARIES : nvidiaLibraries;
    }

    public enum PullPolicy { Always, IfNotPresent, Never }
}
