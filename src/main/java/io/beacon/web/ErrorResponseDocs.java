package io.beacon.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error responses every endpoint shares, documented once here instead of on every controller method.
 *
 * <p>A controller states what a status means for its endpoint in one line
 * ({@code @ApiResponse(responseCode = "404", description = "Not registered")}) and keeps a {@code content}
 * block only for examples of its own. This customizer then gives every 4xx response the
 * {@code application/problem+json} media type with the {@link ProblemDetail} schema and, where the
 * controller gave none, a real example chosen by the endpoint's shape (an invalid service name on a
 * {@code {name}} path, an unknown instance on an {@code {id}} path, a malformed body); and it adds the 413 and
 * 415 answers every endpoint with a body can give, and the 429 of the rate limits ({@link RateLimitValve}). The examples are Beacon's actual answers.
 */
@Configuration(proxyBeanMethods = false)
class ErrorResponseDocs {

    private static final String PROBLEM_SCHEMA = "ProblemDetail";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A 415 as {@link RequestGuardFilter} and Spring MVC answer it. */
    static final String UNSUPPORTED_EXAMPLE = """
            {"type":"about:blank","title":"Unsupported Media Type","status":415,\
            "detail":"Content-Type 'text/plain' is not supported; send the body as application/json."}""";

    /** A 413 of {@link BodySizeLimitFilter}. */
    static final String TOO_LARGE_EXAMPLE = """
            {"type":"about:blank","title":"Content too large","status":413,\
            "detail":"The request body exceeds the limit of 65536 bytes."}""";

    /** A 400 for a query parameter that is not valid percent-encoded UTF-8 ({@link RequestGuardFilter}). */
    static final String INVALID_PARAMETER_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'name': is not percent-encoded UTF-8: 'fz%ff%fe'",\
            "errors":[{"field":"name","message":"is not percent-encoded UTF-8: 'fz%ff%fe'"}]}""";

    /** A 409 of a capacity limit ({@code ApiExceptionHandler}). */
    static final String CAPACITY_EXAMPLE = """
            {"type":"about:blank","title":"Capacity limit reached","status":409,\
            "detail":"Service 'orders' already has 15000 instances, the limit \
            beacon.limits.max-instances-per-service=15000; a new instance is refused until some leave \
            (re-registering a known id still works).",\
            "limit":"instances-per-service","value":15000}""";

    /** A 429 of {@link RateLimitValve}. */
    static final String RATE_EXAMPLE = """
            {"type":"about:blank","title":"Too many requests","status":429,\
            "detail":"Rate limit 'registrations' of 20000 per minute for 10.0.0.5 exceeded; retry after 3 s \
            (beacon.limits.registrations-per-minute).",\
            "limit":"registrations-per-minute","value":20000,"retryAfter":3}""";

    @Bean
    GlobalOpenApiCustomizer problemDetailSchema() {
        return openApi -> {
            Components components = openApi.getComponents() != null ? openApi.getComponents() : new Components();
            openApi.setComponents(components);
            if (components.getSchemas() == null || !components.getSchemas().containsKey(PROBLEM_SCHEMA)) {
                ModelConverters.getInstance().read(ProblemDetail.class).forEach(components::addSchemas);
            }
        };
    }

    @Bean
    GlobalOperationCustomizer sharedErrorResponses() {
        return (operation, handler) -> {
            document(operation);
            return operation;
        };
    }

    /** Adds the shared responses and the problem content to {@code operation}. */
    static void document(Operation operation) {
        ApiResponses responses = operation.getResponses() != null ? operation.getResponses() : new ApiResponses();
        operation.setResponses(responses);
        boolean body = operation.getRequestBody() != null;
        List<String> pathParams = operation.getParameters() == null ? List.of()
                : operation.getParameters().stream().filter(p -> "path".equals(p.getIn()))
                        .map(Parameter::getName).toList();
        if (body) {
            addIfMissing(responses, "413", "Body over `beacon.limits.max-body-bytes`");
            addIfMissing(responses, "415", "A body that is not of the documented media type");
        }
        addIfMissing(responses, "429", "Over the client's rate budget (`beacon.limits.*-per-minute`); "
                + "`Retry-After` says when to retry");
        responses.forEach((code, response) -> {
            if (code.startsWith("4")) {
                problemContent(response, example(code, body, pathParams));
            }
        });
    }

    private static void addIfMissing(ApiResponses responses, String code, String description) {
        if (!responses.containsKey(code)) {
            responses.addApiResponse(code, new ApiResponse().description(description));
        }
    }

    private static void problemContent(ApiResponse response, String example) {
        Content content = response.getContent() != null ? response.getContent() : new Content();
        response.setContent(content);
        // springdoc guesses the success media type for every response; Beacon's errors are problem+json only
        content.keySet().removeIf(type -> !ApiDocs.PROBLEM.equals(type));
        MediaType problem = content.computeIfAbsent(ApiDocs.PROBLEM, type -> new MediaType());
        if (problem.getSchema() == null) {
            problem.setSchema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA));
        }
        boolean hasExample = problem.getExample() != null
                || problem.getExamples() != null && !problem.getExamples().isEmpty();
        if (!hasExample && example != null) {
            problem.setExample(JSON.readTree(example));
        }
    }

    /** Beacon's answer for {@code code} on an endpoint of this shape; null when there is no general one. */
    private static String example(String code, boolean body, List<String> pathParams) {
        return switch (code) {
            case "400" -> pathParams.contains("name") || pathParams.contains("app") ? ApiDocs.INVALID_NAME_EXAMPLE
                    : body ? ApiDocs.MALFORMED_EXAMPLE : INVALID_PARAMETER_EXAMPLE;
            case "404" -> pathParams.contains("id") ? ApiDocs.INSTANCE_NOT_FOUND_EXAMPLE
                    : pathParams.contains("name") ? ApiDocs.SERVICE_NOT_FOUND_EXAMPLE : null;
            case "413" -> TOO_LARGE_EXAMPLE;
            case "415" -> UNSUPPORTED_EXAMPLE;
            case "409" -> CAPACITY_EXAMPLE;
            case "429" -> RATE_EXAMPLE;
            default -> null;
        };
    }
}
