package io.hookrelay.signer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerCliTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String PAYLOAD = "{\"test\": 2432232314}";
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final long SIGNED_AT = 1614265330L;

    @TempDir
    Path dir;

    /** One in-process run with captured streams. */
    record Run(int exitCode, String out, String err) {
    }

    static Run run(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SignerCli cli = new SignerCli(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env,
                Clock.fixed(Instant.ofEpochSecond(SIGNED_AT), ZoneOffset.UTC));
        int exitCode = cli.run(args);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(String stdin, String... args) {
        return run(stdin, Map.of(), args);
    }

    @Test
    void signsStdinAndPrintsTheHeaderValue() {
        Run run = run(PAYLOAD, "sign", "--secret", SECRET, "--id", MSG_ID, "--timestamp", "1614265330");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(SIGNATURE + "\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void signsAFileWithTheCurrentTimeAndPrintsAllHeaders() throws Exception {
        Path body = Files.writeString(dir.resolve("body.json"), PAYLOAD);

        Run run = run("", "sign", "--secret", SECRET, "--id", MSG_ID, "--file", body.toString(), "--headers");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("webhook-id: " + MSG_ID + "\nwebhook-timestamp: 1614265330\n"
                + "webhook-signature: " + SIGNATURE + "\n");
    }

    @Test
    void signsWithEveryGivenKey() {
        Run run = run(PAYLOAD, "sign", "--secret", SECRET, "--secret", "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=",
                "--id", MSG_ID, "--timestamp", "1614265330");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip().split(" ")).hasSize(2).startsWith(SIGNATURE)
                .anySatisfy(signature -> assertThat(signature).startsWith("v1a,tQ9V2XOqn7jL"));
    }

    @Test
    void readsTheSecretFromTheEnvironmentWhenNoneIsGiven() {
        Run run = run(PAYLOAD, Map.of("WEBHOOK_SECRET", SECRET), "sign", "--id", MSG_ID, "--timestamp", "1614265330");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(SIGNATURE + "\n");
    }

    @Test
    void exitsZeroForAValidSignature() {
        Run run = run(PAYLOAD, "verify", "--secret", SECRET, "--id", MSG_ID, "--timestamp", "1614265330",
                "--signature", SIGNATURE, "--now", "1614265330");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("valid: " + MSG_ID);
    }

    @Test
    void exitsOneWithTheReasonForAWrongSignature() {
        Run run = run(PAYLOAD + " ", "verify", "--secret", SECRET, "--id", MSG_ID, "--timestamp", "1614265330",
                "--signature", SIGNATURE, "--now", "1614265330");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("invalid: NO_MATCHING_SIGNATURE");
    }

    @Test
    void exitsOneWhenTheTimestampIsOutsideTheTolerance() {
        Run run = run(PAYLOAD, "verify", "--secret", SECRET, "--id", MSG_ID, "--timestamp", "1614265330",
                "--signature", SIGNATURE, "--now", "1614265400", "--tolerance", "60");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("invalid: TIMESTAMP_TOO_OLD");
    }

    @Test
    void usesTheClockAndTheDefaultToleranceWithoutNow() {
        Run run = run(PAYLOAD, "verify", "--secret", SECRET, "--id", MSG_ID, "--timestamp", "1614265030",
                "--signature", SIGNATURE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("invalid: NO_MATCHING_SIGNATURE");
    }

    @Test
    void verifiesAnAsymmetricSignatureWithThePublicKey() {
        Run pair = run("", "generate-keypair");
        String privateKey = pair.out().lines().filter(l -> l.startsWith("private:")).findFirst().orElseThrow()
                .substring("private:".length()).strip();
        String publicKey = pair.out().lines().filter(l -> l.startsWith("public:")).findFirst().orElseThrow()
                .substring("public:".length()).strip();
        String signature = run(PAYLOAD, "sign", "--secret", privateKey, "--id", MSG_ID).out().strip();

        Run run = run(PAYLOAD, "verify", "--secret", publicKey, "--id", MSG_ID, "--timestamp", "1614265330",
                "--signature", signature);

        assertThat(pair.exitCode()).isZero();
        assertThat(publicKey).startsWith("whpk_");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void generatesSecretsOfTheAskedLength() {
        Run run = run("", "generate-secret", "--bytes", "48");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).matches("whsec_[A-Za-z0-9+/]{64}");
    }

    @Test
    void exitsTwoForAMalformedSecretWithoutEchoingIt() {
        Run run = run(PAYLOAD, "sign", "--secret", "whsec_tooShort", "--id", MSG_ID);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("webhook secret").doesNotContain("tooShort");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void exitsTwoForUsageErrors() {
        assertThat(run("").exitCode()).isEqualTo(2);
        assertThat(run("", "frobnicate").exitCode()).isEqualTo(2);
        assertThat(run("", "sign", "--id", MSG_ID).err()).contains("WEBHOOK_SECRET");
        assertThat(run("", "sign", "--secret", SECRET).err()).contains("missing --id");
        assertThat(run("", "sign", "--secret", SECRET, "--id", "msg.1").exitCode()).isEqualTo(2);
        assertThat(run("", "sign", "--secret", SECRET, "--id", MSG_ID, "--timestamp", "yesterday").err())
                .contains("--timestamp");
        assertThat(run("", "verify", "--secret", SECRET, "--id", MSG_ID, "--timestamp", "1").err())
                .contains("missing --signature");
        assertThat(run("", "sign", "--secret", SECRET, "--id", MSG_ID, "--bogus", "1").err())
                .contains("unknown option");
        assertThat(run("", "sign", "--secret", SECRET, "--id").err()).contains("--id needs a value");
        assertThat(run("", "generate-secret", "--bytes", "16").exitCode()).isEqualTo(2);
        assertThat(run("", "sign", "--secret", "whpk_AAAA", "--id", MSG_ID).err()).contains("cannot sign");
    }

    @Test
    void exitsTwoWhenTheBodyFileCannotBeRead() {
        Run run = run("", "sign", "--secret", SECRET, "--id", MSG_ID, "--file", dir.resolve("absent").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read the body");
    }

    @Test
    void printsUsageOnHelp() {
        Run run = run("", "help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("usage:", "sign", "verify", "generate-secret", "generate-keypair");
    }
}
