import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;

/**
 * A webhook receiver for trying HookRelay out: prints every request it gets (the Standard
 * Webhooks headers and the body) and answers 204. Run with: bin/echo-receiver [port]
 */
public class EchoReceiver {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            System.out.printf("%s %s %s%n  webhook-id: %s%n  webhook-timestamp: %s%n  webhook-signature: %s%n  body: %s%n",
                    LocalTime.now().withNano(0), exchange.getRequestMethod(), exchange.getRequestURI(),
                    headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                    headers.getFirst("webhook-signature"), body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        System.out.println("Receiving webhooks on http://127.0.0.1:" + port + "/ (Ctrl-C to stop)");
    }
}
