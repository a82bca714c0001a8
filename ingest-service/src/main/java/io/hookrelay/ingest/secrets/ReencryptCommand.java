package io.hookrelay.ingest.secrets;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar ingest-service.jar --hookrelay.secrets.reencrypt=true} (with the service's
 * usual configuration): runs {@link Reencryption} once, logs what it did, and exits — 0 when every
 * value is current, 1 when some could not be read or changed meanwhile (the log names them; run
 * it again after fixing). It serves no HTTP and consumes nothing from Kafka meanwhile, so it can
 * run beside the serving replicas, e.g. as a Kubernetes Job.
 */
@Component
@ConditionalOnBooleanProperty("hookrelay.secrets.reencrypt")
public class ReencryptCommand implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ReencryptCommand.class);

    private final Reencryption reencryption;
    private final ApplicationContext context;

    ReencryptCommand(Reencryption reencryption, ApplicationContext context) {
        this.reencryption = reencryption;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        log.info("Re-encrypting endpoint credentials with the primary key");
        int code;
        try {
            Reencryption.Report report = reencryption.run().block();
            log.info("Re-encryption done: {} endpoints read, {} rewritten, {} already current, {} changed meanwhile"
                            + " (run again), {} not readable",
                    report.endpoints(), report.rewritten(), report.alreadyCurrent(), report.changedMeanwhile(),
                    report.failures().size());
            code = report.complete() ? 0 : 1;
        } catch (RuntimeException e) {
            log.error("Re-encryption failed: {}", e.getMessage());
            code = 2;
        }
        int exit = code;
        System.exit(SpringApplication.exit(context, () -> exit));
    }

    /**
     * Registered by {@code main}: when the command is asked for, the process starts without a web
     * server (the serving replica may hold the port) and without Kafka listeners (joining the
     * consumer group would make the serving replicas rebalance).
     */
    static final class WithoutServing implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            var environment = event.getEnvironment();
            if (environment.getProperty("hookrelay.secrets.reencrypt", Boolean.class, false)) {
                environment.getPropertySources().addFirst(new MapPropertySource("hookrelay-reencrypt", Map.of(
                        "spring.main.web-application-type", "none",
                        "spring.kafka.listener.auto-startup", "false")));
            }
        }
    }

    /** For {@code main}. */
    public static ApplicationListener<ApplicationEnvironmentPreparedEvent> withoutServing() {
        return new WithoutServing();
    }
}
