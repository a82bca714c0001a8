package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tests run on the class path; this checks the module descriptor that ships in the jar. */
class ModuleDescriptorTest {

    @Test
    void isANamedModuleExportingOnlyTheApiAndRequiringOnlyTheJdkBase() throws URISyntaxException {
        Path classes = Path.of(WebhookSigner.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        ModuleDescriptor descriptor = ModuleFinder.of(classes).find("io.hookrelay.signer")
                .map(ModuleReference::descriptor)
                .orElseThrow();

        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactly("io.hookrelay.signer");
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactly("java.base");
        assertThat(descriptor.packages()).contains("io.hookrelay.signer.cli");
    }
}
