package io.beacon.eureka;

import io.beacon.web.ApiDocs;
import io.beacon.eureka.EurekaResponses.Format;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Eureka's read API: {@code GET /eureka/apps}, {@code /apps/delta}, {@code /apps/{APP}},
 * {@code /apps/{APP}/{id}}, {@code /instances/{id}}, {@code /vips/{vip}} and {@code /svips/{svip}}.
 * Unknown applications and instances answer 404; VIP queries answer the (possibly empty) matches.
 */
@RestController
@RequestMapping("/eureka")
@Tag(name = EurekaDocs.TAG, description = EurekaDocs.TAG_DESCRIPTION)
class EurekaReadController {

    private final EurekaApps apps;

    EurekaReadController(EurekaApps apps) {
        this.apps = apps;
    }

    @Operation(summary = "Eureka: fetch the full registry",
            description = "Every application with every instance, `versions__delta` and `apps__hashcode`."
                    + EurekaDocs.READ_FORMATS)
    @ApiResponse(responseCode = "200", description = "The registry",
            headers = {@Header(name = HttpHeaders.CONTENT_ENCODING, description = "`gzip` when the body is compressed",
                    schema = @Schema(type = "string")),
                @Header(name = HttpHeaders.VARY, description = "`Accept, Accept-Encoding`",
                    schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/json", schema = @Schema(type = "object"),
                        examples = @ExampleObject(value = EurekaDocs.APPLICATIONS_JSON)),
                @Content(mediaType = "application/xml", schema = @Schema(type = "string"),
                        examples = @ExampleObject(value = EurekaDocs.APPLICATIONS_XML))})
    @GetMapping({"/apps", "/apps/"})
    ResponseEntity<byte[]> applications(@Parameter(description = "`application/json` for JSON; anything else gives XML",
                    example = "application/json")
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = EurekaDocs.ACCEPT_ENCODING, example = "gzip")
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding) {
        Format format = Format.of(accept, encoding);
        byte[] body = apps.fullEncoded(format.key(), EurekaResponses.gzipped(format,
                format.json() ? EurekaJson::applications : EurekaXml::applications));
        return EurekaResponses.ok(format, body);
    }

    @Operation(summary = "Eureka: fetch recent changes",
            description = "Every instance changed within `beacon.eureka.delta-retention`, with its latest state "
                    + "and `actionType` (ADDED, MODIFIED, DELETED); `apps__hashcode` covers the whole registry so "
                    + "clients can check their reconciled copy." + EurekaDocs.READ_FORMATS)
    @ApiResponse(responseCode = "200", description = "The delta",
            headers = {@Header(name = HttpHeaders.CONTENT_ENCODING, description = "`gzip` when the body is compressed",
                    schema = @Schema(type = "string")),
                @Header(name = HttpHeaders.VARY, description = "`Accept, Accept-Encoding`",
                    schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/json", schema = @Schema(type = "object"),
                        examples = @ExampleObject(value = EurekaDocs.DELTA_JSON)),
                @Content(mediaType = "application/xml", schema = @Schema(type = "string"))})
    @GetMapping({"/apps/delta", "/apps/delta/"})
    ResponseEntity<byte[]> delta(@Parameter(description = "`application/json` for JSON; anything else gives XML",
                    example = "application/json")
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = EurekaDocs.ACCEPT_ENCODING, example = "gzip")
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding) {
        Format format = Format.of(accept, encoding);
        return EurekaResponses.ok(format, apps.deltaEncoded(format.key(), EurekaResponses.gzipped(format,
                format.json() ? EurekaJson::applications : EurekaXml::applications)));
    }

    @Operation(summary = "Eureka: fetch one application", description = "Every instance of the application."
            + EurekaDocs.READ_FORMATS)
    @ApiResponse(responseCode = "200", description = "The application",
            headers = {@Header(name = HttpHeaders.CONTENT_ENCODING, description = "`gzip` when the body is compressed",
                    schema = @Schema(type = "string")),
                @Header(name = HttpHeaders.VARY, description = "`Accept, Accept-Encoding`",
                    schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/json", schema = @Schema(type = "object"),
                        examples = @ExampleObject(value = EurekaDocs.APPLICATION_JSON)),
                @Content(mediaType = "application/xml", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", description = "No instance of the application is registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.APP_NOT_FOUND_EXAMPLE)))
    @GetMapping({"/apps/{app}", "/apps/{app}/"})
    ResponseEntity<?> application(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @Parameter(description = "`application/json` for JSON; anything else gives XML",
                    example = "application/json")
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = EurekaDocs.ACCEPT_ENCODING, example = "gzip")
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding,
            HttpServletRequest request) {
        Format format = Format.of(accept, encoding);
        Optional<byte[]> body = applicationBody(app, format);
        if (body.isEmpty()) {
            return EurekaResponses.notFound("Application not found", "No instance of application "
                    + app + " is registered.", request.getRequestURI());
        }
        return EurekaResponses.ok(format, body.get());
    }

    /** One application's encoded answer in {@code format} ({@link EurekaAppRoute} too), empty when unknown. */
    Optional<byte[]> applicationBody(String app, Format format) {
        return apps.applicationEncoded(app, format.key(), EurekaResponses.gzipped(format,
                format.json() ? EurekaJson::applicationDocument : EurekaXml::application));
    }

    @Operation(summary = "Eureka: fetch one instance of an application", description = "The instance."
            + EurekaDocs.READ_FORMATS)
    @ApiResponse(responseCode = "200", description = "The instance",
            headers = {@Header(name = HttpHeaders.CONTENT_ENCODING, description = "`gzip` when the body is compressed",
                    schema = @Schema(type = "string")),
                @Header(name = HttpHeaders.VARY, description = "`Accept, Accept-Encoding`",
                    schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/json", schema = @Schema(type = "object"),
                        examples = @ExampleObject(value = EurekaDocs.INSTANCE_DOCUMENT_JSON)),
                @Content(mediaType = "application/xml", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", description = "No such instance",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.READ_INSTANCE_NOT_FOUND_EXAMPLE)))
    @GetMapping("/apps/{app}/{id}")
    ResponseEntity<?> instance(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @Parameter(description = EurekaDocs.INSTANCE_ID, example = "10.0.0.5:orders:8080") @PathVariable String id,
            @Parameter(description = "`application/json` for JSON; anything else gives XML",
                    example = "application/json")
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = EurekaDocs.ACCEPT_ENCODING, example = "gzip")
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding,
            HttpServletRequest request) {
        return instance(find(app, id), Format.of(accept, encoding), request);
    }

    @Operation(summary = "Eureka: fetch an instance by id", description = "The instance, whatever its "
            + "application." + EurekaDocs.READ_FORMATS)
    @ApiResponse(responseCode = "200", description = "The instance",
            headers = {@Header(name = HttpHeaders.CONTENT_ENCODING, description = "`gzip` when the body is compressed",
                    schema = @Schema(type = "string")),
                @Header(name = HttpHeaders.VARY, description = "`Accept, Accept-Encoding`",
                    schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/json", schema = @Schema(type = "object"),
                        examples = @ExampleObject(value = EurekaDocs.INSTANCE_DOCUMENT_JSON)),
                @Content(mediaType = "application/xml", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", description = "No such instance",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.READ_INSTANCE_NOT_FOUND_EXAMPLE)))
    @GetMapping("/instances/{id}")
    ResponseEntity<?> instanceById(
            @Parameter(description = EurekaDocs.INSTANCE_ID, example = "10.0.0.5:orders:8080") @PathVariable String id,
            @Parameter(description = "`application/json` for JSON; anything else gives XML",
                    example = "application/json")
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = EurekaDocs.ACCEPT_ENCODING, example = "gzip")
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding,
            HttpServletRequest request) {
        return instance(find(null, id), Format.of(accept, encoding), request);
    }

    @Operation(summary = "Eureka: fetch instances by VIP address",
            description = "Applications with the instances whose `vipAddress` (comma-separated list) contains "
                    + "the VIP; possibly empty." + EurekaDocs.READ_FORMATS)
    @ApiResponse(responseCode = "200", description = "The matching instances",
            headers = {@Header(name = HttpHeaders.CONTENT_ENCODING, description = "`gzip` when the body is compressed",
                    schema = @Schema(type = "string")),
                @Header(name = HttpHeaders.VARY, description = "`Accept, Accept-Encoding`",
                    schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/json", schema = @Schema(type = "object"),
                        examples = @ExampleObject(value = EurekaDocs.APPLICATIONS_JSON)),
                @Content(mediaType = "application/xml", schema = @Schema(type = "string"))})
    @GetMapping("/vips/{vip}")
    ResponseEntity<byte[]> vip(
            @Parameter(description = "VIP address", example = "orders") @PathVariable String vip,
            @Parameter(description = "`application/json` for JSON; anything else gives XML",
                    example = "application/json")
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = EurekaDocs.ACCEPT_ENCODING, example = "gzip")
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding) {
        return EurekaResponses.ok(Format.of(accept, encoding),
                apps.matching(i -> EurekaInstance.matchesVip(i.vipAddress(), vip)), EurekaJson::applications,
                EurekaXml::applications);
    }

    @Operation(summary = "Eureka: fetch instances by secure VIP address",
            description = "Applications with the instances whose `secureVipAddress` (comma-separated list) "
                    + "contains the VIP; possibly empty." + EurekaDocs.READ_FORMATS)
    @ApiResponse(responseCode = "200", description = "The matching instances",
            headers = {@Header(name = HttpHeaders.CONTENT_ENCODING, description = "`gzip` when the body is compressed",
                    schema = @Schema(type = "string")),
                @Header(name = HttpHeaders.VARY, description = "`Accept, Accept-Encoding`",
                    schema = @Schema(type = "string"))},
            content = {@Content(mediaType = "application/json", schema = @Schema(type = "object"),
                        examples = @ExampleObject(value = EurekaDocs.APPLICATIONS_JSON)),
                @Content(mediaType = "application/xml", schema = @Schema(type = "string"))})
    @GetMapping("/svips/{svip}")
    ResponseEntity<byte[]> secureVip(
            @Parameter(description = "Secure VIP address", example = "orders") @PathVariable String svip,
            @Parameter(description = "`application/json` for JSON; anything else gives XML",
                    example = "application/json")
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @Parameter(description = EurekaDocs.ACCEPT_ENCODING, example = "gzip")
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding) {
        return EurekaResponses.ok(Format.of(accept, encoding),
                apps.matching(i -> EurekaInstance.matchesVip(i.secureVipAddress(), svip)),
                EurekaJson::applications, EurekaXml::applications);
    }

    private Optional<EurekaInstance.Entry> find(String app, String id) {
        List<EurekaInstance.App> all = apps.full().apps();
        return all.stream().filter(a -> app == null || a.name().equalsIgnoreCase(app))
                .flatMap(a -> a.instances().stream()).filter(e -> e.instance().instanceId().equals(id)).findFirst();
    }

    private static ResponseEntity<?> instance(Optional<EurekaInstance.Entry> entry, Format format,
            HttpServletRequest request) {
        if (entry.isEmpty()) {
            return EurekaResponses.notFound("Instance not found", "No such instance is registered.",
                    request.getRequestURI());
        }
        return EurekaResponses.ok(format, entry.get(), EurekaJson::instance, EurekaXml::instance);
    }
}
