package io.beacon.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * The answer to one frequent, plain request, given below Spring MVC's dispatch ({@link DirectRouteFilter}),
 * by the same code the MVC handler of the route calls. Only the plain form of a request is answered here (no
 * {@code Origin}, an {@code Accept} that JSON satisfies, and no body, or for a route that {@link #readsBody
 * reads one} a JSON body of known length); every other request of the route, and every one the route
 * declines, goes to its MVC handler as before. An exception the route throws is answered by MVC's exception
 * handlers ({@link ApiExceptionHandler}), as if the handler had thrown it. So a route holds no rule of its own.
 */
public interface DirectRoute {

    /** The HTTP method answered. */
    String method();

    /**
     * The route as its MVC mapping spells it, e.g. {@code /heartbeat/{name}/{id}}: literal segments and
     * whole-segment variables. It is also the {@code uri} tag of the request's metrics.
     */
    String pattern();

    /**
     * Whether the route reads a body: then only a request with {@code Content-Type: application/json} and a
     * {@code Content-Length} is plain, and its body is kept so that the MVC handler can still read it when the
     * route declines.
     */
    default boolean readsBody() {
        return false;
    }

    /**
     * Answers the request and returns true, or returns false having written nothing and changed nothing, so
     * that the MVC handler answers it; or throws what the MVC handler would throw.
     *
     * @param variables the values of the pattern's variables, in order, percent-decoded
     */
    boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables)
            throws IOException;

    /** Writes a JSON answer with status 200 and the service's index header. */
    static void writeJson(HttpServletResponse response, long index, byte[] body) throws IOException {
        writeJson(response, HttpServletResponse.SC_OK, index, body);
    }

    /** Writes a JSON answer with the service's index header. */
    static void writeJson(HttpServletResponse response, int status, long index, byte[] body) throws IOException {
        response.setStatus(status);
        response.setHeader(Headers.INDEX, Long.toString(index));
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
