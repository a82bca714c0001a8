package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.JvmOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceLauncherTest {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final Path DATA = Path.of("/srv/hookrelay-data");

    @Test
    void everyServiceWritesABoundedGcLogIntoTheDataDirectory() {
        var launcher = new ServiceLauncher(REPOSITORY, DATA, System.out);

        for (String service : List.of("api-gateway", "ingest-service", "delivery-service")) {
            List<String> jvm = launcher.jvmArguments(service, new ServiceJars.Launch(Path.of(service + ".jar"), Optional.empty()));

            assertThat(jvm).contains("-Xlog:gc:file=/srv/hookrelay-data/logs/" + service
                    + "-gc.log:uptime,level,tags:filecount=5,filesize=10m");
            assertThat(jvm).contains("@" + REPOSITORY.resolve("deploy/jvm/" + service + ".options"));
            assertThat(jvm.indexOf("-jar")).as("JVM options come before the jar").isEqualTo(jvm.size() - 2);
        }
    }

    @Test
    void aServiceWithAnAotCacheStartsWithIt() {
        var launcher = new ServiceLauncher(REPOSITORY, DATA, System.out);
        Path cache = Path.of("/r/deploy/local/target/services/api-gateway-0123456789ab/api-gateway.aot");

        List<String> jvm = launcher.jvmArguments("api-gateway",
                new ServiceJars.Launch(cache.resolveSibling("api-gateway.jar"), Optional.of(cache)));

        assertThat(jvm).contains("-XX:AOTCache=" + cache);
        assertThat(jvm.indexOf("-XX:AOTCache=" + cache)).isLessThan(jvm.indexOf("-jar"));
        assertThat(jvm.getLast()).isEqualTo(cache.resolveSibling("api-gateway.jar").toString());
    }

    @Test
    void aServiceTrainedUnderTrafficRecordsItsCacheInsteadOfUsingOne() {
        Path caches = Path.of("/r/deploy/local/target/aot-training/platform-1/caches");
        var launcher = new ServiceLauncher(REPOSITORY, DATA, Optional.of(caches), System.out);
        Path cache = Path.of("/r/deploy/local/target/services/ingest-service-0123456789ab/ingest-service.aot");

        List<String> jvm = launcher.jvmArguments("ingest-service",
                new ServiceJars.Launch(cache.resolveSibling("ingest-service.jar"), Optional.of(cache)));

        assertThat(jvm).contains("-XX:AOTCacheOutput=" + caches.resolve("ingest-service.aot"));
        assertThat(jvm).as("a JVM that records starts without a cache").noneMatch(option -> option.startsWith("-XX:AOTCache="));
        assertThat(jvm).as("tools that find a service by its command line skip it").contains(ServiceJars.TRAINING_MARKER);
        assertThat(jvm.indexOf("-XX:AOTCacheOutput=" + caches.resolve("ingest-service.aot"))).isLessThan(jvm.indexOf("-jar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-gateway", "ingest-service", "delivery-service", "kafka", "launcher"})
    void everyProcessHasAnArgumentFileWithABoundedHeapAndAChosenCollector(String process) throws IOException {
        List<String> options = Files.readAllLines(REPOSITORY.resolve(JvmOptions.DIRECTORY).resolve(process + ".options"))
                .stream()
                .map(line -> line.replaceAll("#.*", "").trim())
                .filter(line -> !line.isEmpty())
                .toList();

        assertThat(options).anyMatch(option -> option.startsWith("-Xmx"));
        assertThat(options).filteredOn(option -> option.matches("-XX:\\+Use\\w+GC")).hasSize(1);
        assertThat(options).as("the GC log's place belongs to the run, not the file")
                .noneMatch(option -> option.startsWith("-Xlog:gc"));
    }

    @Test
    void childProcessesUseTwoMallocArenas() {
        assertThat(JvmOptions.ENVIRONMENT).containsEntry("MALLOC_ARENA_MAX", "2");
    }
}
