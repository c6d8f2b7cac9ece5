import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Report-ejection propagation across a Beacon cluster: for each of N instances, one failure report sent
 * to the reporting member ejects it (the service's policy ejects on the first failure); the time from
 * sending the report until the watching member's registry shows the instance ejected is recorded.
 * The same is done first for WARMUP other instances, not measured (three cold JVMs on shared cores).
 * Usage: java EjectionBench.java REPORT_PORT WATCH_PORT N [WARMUP, default N]
 */
public class EjectionBench {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int reportPort = Integer.parseInt(args[0]);
        int watchPort = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : n;
        run(reportPort, watchPort, "ejwarm", warmup, false);
        run(reportPort, watchPort, "ejbench", n, true);
    }

    static void run(int reportPort, int watchPort, String service, int n, boolean print) throws Exception {
        if (n == 0) {
            return;
        }
        send(put(reportPort, "/services/" + service + "/policy",
                "{\"outlier\":{\"consecutiveFailures\":1,\"baseEjectionSeconds\":3600,\"maxEjectionSeconds\":3600,"
                        + "\"maxEjectionPercent\":100}}"), 200);
        for (int i = 0; i < n; i++) {
            send(post(reportPort, "/register", "{\"name\":\"" + service + "\",\"id\":\"e-" + i
                    + "\",\"address\":\"10.9.0.1\",\"port\":8080}"), 201);
        }
        long[] micros = new long[n];
        long polls = 0;
        for (int i = 0; i < n; i++) {
            HttpRequest report = post(reportPort, "/report",
                    "{\"name\":\"" + service + "\",\"id\":\"e-" + i + "\",\"outcome\":\"failure\"}");
            HttpRequest look = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + watchPort + "/services/"
                    + service + "/instances/e-" + i)).GET().build();
            long start = System.nanoTime();
            send(report, 200);
            while (!HTTP.send(look, HttpResponse.BodyHandlers.ofString()).body().contains("\"ejected\":true")) {
                polls++;
                if (System.nanoTime() - start > 10_000_000_000L) {
                    throw new IllegalStateException("e-" + i + " not ejected on the watching member after 10 s");
                }
            }
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        if (print) System.out.printf("report on member %d -> ejected on member %d, %d instances: p50 %.2f ms, p99 %.2f ms, "
                + "max %.2f ms (%d polls saw it not yet ejected)%n", reportPort, watchPort, n,
                micros[n / 2] / 1000.0, micros[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1000.0,
                micros[n - 1] / 1000.0, polls);
        for (int i = 0; i < n; i++) {
            send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + reportPort + "/deregister/" + service
                    + "/e-" + i)).DELETE().build(), 204);
        }
    }

    static HttpRequest post(int port, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpRequest put(int port, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static void send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
