package io.beacon.balance;

import io.beacon.registry.ServiceName;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No instance of the service matches the pick's filters; answered 404 problem. */
class NoInstanceAvailableException extends ErrorResponseException {

    NoInstanceAvailableException(ServiceName service) {
        super(HttpStatus.NOT_FOUND, problem(service), null);
    }

    private static ProblemDetail problem(ServiceName service) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "Service '" + service
                + "' has no available instance matching the query. GET /discover?name=" + service
                + "&status=ANY lists every instance.");
        problem.setTitle("No instance available");
        return problem;
    }
}
