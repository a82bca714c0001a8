package io.hookrelay.signer.cli;

import io.hookrelay.signer.InvalidSecretException;
import io.hookrelay.signer.SigningKey;
import io.hookrelay.signer.VerificationKey;
import io.hookrelay.signer.VerifiedWebhook;
import io.hookrelay.signer.WebhookHeaders;
import io.hookrelay.signer.WebhookKeyPair;
import io.hookrelay.signer.WebhookPrivateKey;
import io.hookrelay.signer.WebhookPublicKey;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookSigner;
import io.hookrelay.signer.WebhookVerificationException;
import io.hookrelay.signer.WebhookVerifier;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jar's command line: sign a body, verify a signature, generate secrets and key pairs.
 * Exit status 0 on success (a valid signature), 1 when verification fails, 2 on a usage error,
 * an unusable key or an unreadable body. Run {@code java -jar signer-lib.jar help}.
 */
public final class SignerCli {

    static final int OK = 0;
    static final int REJECTED = 1;
    static final int USAGE = 2;

    static final String SECRET_ENV = "WEBHOOK_SECRET";

    static final String USAGE_TEXT = """
            usage: java -jar signer-lib.jar <command> [options]

            commands:
              sign      --id ID [--timestamp SECONDS] [--file PATH] [--headers] --secret KEY...
                        prints the webhook-signature value for the body (from --file, else stdin);
                        --timestamp defaults to now; --headers prints all three headers instead.
                        KEY: whsec_... (v1) or whsk_... (v1a); repeat --secret to sign with several.
              verify    --id ID --timestamp SECONDS --signature VALUE [--file PATH]
                        [--tolerance SECONDS] [--now SECONDS] --secret KEY...
                        exits 0 and prints "valid" or exits 1 and prints the reason.
                        KEY: whsec_... (v1), whpk_... or whsk_... (v1a); tolerance defaults to 300.
              generate-secret [--bytes 24..64]   prints a new whsec_ secret
              generate-keypair                   prints a new whsk_ private key and its whpk_ public key
              help

            --secret may be omitted when the WEBHOOK_SECRET environment variable holds the key
            (keeps it out of the process list and shell history).
            exit status: 0 ok, 1 verification failed, 2 usage error or unusable key.
            """;

    private static final Set<String> FLAGS = Set.of("--headers");

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Clock clock;

    SignerCli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.clock = clock;
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(new SignerCli(System.in, System.out, System.err, System.getenv(), Clock.systemUTC()).run(args));
    }

    int run(String... args) {
        if (args.length == 0) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            Options options = Options.parse(args, 1);
            return switch (args[0]) {
                case "sign" -> sign(options);
                case "verify" -> verify(options);
                case "generate-secret" -> generateSecret(options);
                case "generate-keypair" -> generateKeyPair(options);
                case "help", "--help", "-h" -> help();
                default -> throw new UsageException("unknown command: " + args[0]);
            };
        } catch (UsageException | InvalidSecretException e) {
            err.println("error: " + e.getMessage());
            err.println("run 'java -jar signer-lib.jar help' for usage");
            return USAGE;
        } catch (IOException e) {
            err.println("error: cannot read the body: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return USAGE;
        }
    }

    private int help() {
        out.print(USAGE_TEXT);
        return OK;
    }

    private int sign(Options options) throws IOException {
        options.allowOnly("--secret", "--id", "--timestamp", "--file", "--headers");
        List<SigningKey> keys = secrets(options).stream().map(SignerCli::signingKey).toList();
        String id = options.required("--id");
        long timestamp = options.has("--timestamp")
                ? seconds(options, "--timestamp")
                : clock.instant().getEpochSecond();
        WebhookSigner signer = WebhookSigner.of(keys);
        String signature;
        try (InputStream body = body(options)) {
            signature = signer.sign(id, timestamp, body);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (options.has("--headers")) {
            out.println("webhook-id: " + id);
            out.println("webhook-timestamp: " + timestamp);
            out.println("webhook-signature: " + signature);
        } else {
            out.println(signature);
        }
        return OK;
    }

    private int verify(Options options) throws IOException {
        options.allowOnly("--secret", "--id", "--timestamp", "--signature", "--file", "--tolerance", "--now");
        List<VerificationKey> keys = secrets(options).stream().map(SignerCli::verificationKey).toList();
        String id = options.required("--id");
        String timestamp = options.required("--timestamp");
        String signature = options.required("--signature");
        WebhookVerifier verifier = WebhookVerifier.of(keys)
                .withTolerance(Duration.ofSeconds(options.has("--tolerance") ? seconds(options, "--tolerance") : 300))
                .withClock(options.has("--now")
                        ? Clock.fixed(Instant.ofEpochSecond(seconds(options, "--now")), ZoneOffset.UTC)
                        : clock);
        try (InputStream body = body(options)) {
            VerifiedWebhook verified = verifier.verify(new WebhookHeaders(id, timestamp, signature), body);
            out.println("valid: " + verified.id() + " at " + verified.sentAt());
            return OK;
        } catch (WebhookVerificationException e) {
            out.println("invalid: " + e.getMessage());
            return REJECTED;
        }
    }

    private int generateSecret(Options options) {
        options.allowOnly("--bytes");
        int bytes = options.has("--bytes") ? (int) Math.min(number(options, "--bytes"), Integer.MAX_VALUE) : 24;
        try {
            out.println(WebhookSecret.generate(bytes).encoded());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return OK;
    }

    private int generateKeyPair(Options options) {
        options.allowOnly();
        WebhookKeyPair pair = WebhookKeyPair.generate();
        out.println("private: " + pair.privateKey().encoded());
        out.println("public:  " + pair.publicKey().encoded());
        return OK;
    }

    private List<String> secrets(Options options) {
        List<String> secrets = options.all("--secret");
        if (!secrets.isEmpty()) {
            return secrets;
        }
        String fromEnv = env.get(SECRET_ENV);
        if (fromEnv == null || fromEnv.isBlank()) {
            throw new UsageException("no key: give --secret or set " + SECRET_ENV);
        }
        return List.of(fromEnv);
    }

    private static SigningKey signingKey(String text) {
        if (text.strip().startsWith(WebhookPublicKey.PREFIX)) {
            throw new UsageException("a whpk_ public key cannot sign; give the whsk_ private key");
        }
        return text.strip().startsWith(WebhookPrivateKey.PREFIX)
                ? WebhookPrivateKey.parse(text)
                : WebhookSecret.parse(text);
    }

    private static VerificationKey verificationKey(String text) {
        String key = text.strip();
        if (key.startsWith(WebhookPublicKey.PREFIX)) {
            return WebhookPublicKey.parse(key);
        }
        if (key.startsWith(WebhookPrivateKey.PREFIX)) {
            return WebhookPrivateKey.parse(key).publicKey();
        }
        return WebhookSecret.parse(key);
    }

    private InputStream body(Options options) throws IOException {
        if (!options.has("--file")) {
            return new FilterInputStream(in) {
                @Override
                public void close() {
                    // stdin belongs to the caller
                }
            };
        }
        return Files.newInputStream(Path.of(options.required("--file")));
    }

    private static long seconds(Options options, String name) {
        return number(options, name);
    }

    private static long number(Options options, String name) {
        String value = options.required(name);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, not negative, got '" + value + "'");
        }
    }

    /** {@code --name value} pairs (repeatable) and bare flags. */
    private record Options(Map<String, List<String>> values) {

        static Options parse(String[] args, int from) {
            Map<String, List<String>> values = new HashMap<>();
            for (int i = from; i < args.length; i++) {
                String name = args[i];
                if (!name.startsWith("--")) {
                    throw new UsageException("unexpected argument: " + name);
                }
                if (FLAGS.contains(name)) {
                    values.computeIfAbsent(name, n -> new ArrayList<>()).add("");
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(args[++i]);
            }
            return new Options(values);
        }

        void allowOnly(String... names) {
            Set<String> allowed = Set.of(names);
            for (String name : values.keySet()) {
                if (!allowed.contains(name)) {
                    throw new UsageException("unknown option for this command: " + name);
                }
            }
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        String required(String name) {
            List<String> given = all(name);
            if (given.isEmpty()) {
                throw new UsageException("missing " + name);
            }
            if (given.size() > 1) {
                throw new UsageException(name + " given more than once");
            }
            return given.getFirst();
        }
    }

    private static final class UsageException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
