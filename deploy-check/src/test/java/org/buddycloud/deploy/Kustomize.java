package org.buddycloud.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.Yaml;

/** Renders an overlay with kubectl's built-in kustomize, and reads the result into the fabric8 Kubernetes model. */
final class Kustomize {

    private Kustomize() {
    }

    /** {@code kubectl kustomize DIR}; the test is skipped, saying why, where kubectl is not installed. */
    static String render(Path directory) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            Assumptions.abort("kubectl is not installed here, so the kustomize overlays are not rendered "
                    + "(Debian: apt-get install kubernetes-client; .ci/run installs it)");
            throw e;
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + directory + " failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Every document of a multi-document YAML, each parsed into its kind (a custom resource as a generic one). */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> documents = new ArrayList<>();
        Yaml reader = new Yaml();
        for (Object document : reader.loadAll(yaml)) {
            if (document instanceof Map<?, ?> map && !map.isEmpty()) {
                documents.add(Serialization.unmarshal(Serialization.asJson(map), HasMetadata.class));
            }
        }
        return documents;
    }
}
