package io.hookrelay.ingest;

import io.hookrelay.events.PrefixedId;
import io.hookrelay.ingest.secrets.ReencryptCommand;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** ingest-service: applications, endpoints and messages; accepts messages durably. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApplication {

    public static void main(String[] args) {
        var application = new SpringApplication(IngestApplication.class);
        application.addListeners(ReencryptCommand.withoutServing());
        application.run(args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PrefixedId prefixedId() {
        return new PrefixedId();
    }
}
