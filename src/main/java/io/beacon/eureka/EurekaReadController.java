package io.beacon.eureka;

import io.beacon.eureka.EurekaResponses.Format;
import java.util.List;
import java.util.Optional;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
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
class EurekaReadController {

    private final EurekaApps apps;

    EurekaReadController(EurekaApps apps) {
        this.apps = apps;
    }

    @GetMapping({"/apps", "/apps/"})
    ResponseEntity<byte[]> applications(@RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding) {
        Format format = Format.of(accept, encoding);
        byte[] body = apps.fullEncoded(format.key(), EurekaResponses.gzipped(format,
                format.json() ? EurekaJson::applications : EurekaXml::applications));
        return EurekaResponses.ok(format, body);
    }

    @GetMapping({"/apps/delta", "/apps/delta/"})
    ResponseEntity<byte[]> delta(@RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding) {
        return EurekaResponses.ok(Format.of(accept, encoding), apps.delta(), EurekaJson::applications,
                EurekaXml::applications);
    }

    @GetMapping({"/apps/{app}", "/apps/{app}/"})
    ResponseEntity<?> application(@PathVariable String app,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding,
            HttpServletRequest request) {
        Optional<EurekaInstance.App> found = apps.full().apps().stream()
                .filter(a -> a.name().equalsIgnoreCase(app)).findFirst();
        if (found.isEmpty()) {
            return EurekaResponses.notFound("Application not found", "No instance of application "
                    + app + " is registered.", request.getRequestURI());
        }
        return EurekaResponses.ok(Format.of(accept, encoding), found.get(), EurekaJson::applicationDocument,
                EurekaXml::application);
    }

    @GetMapping("/apps/{app}/{id}")
    ResponseEntity<?> instance(@PathVariable String app, @PathVariable String id,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding,
            HttpServletRequest request) {
        return instance(find(app, id), Format.of(accept, encoding), request);
    }

    @GetMapping("/instances/{id}")
    ResponseEntity<?> instanceById(@PathVariable String id,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding,
            HttpServletRequest request) {
        return instance(find(null, id), Format.of(accept, encoding), request);
    }

    @GetMapping("/vips/{vip}")
    ResponseEntity<byte[]> vip(@PathVariable String vip,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String encoding) {
        return EurekaResponses.ok(Format.of(accept, encoding),
                apps.matching(i -> EurekaInstance.matchesVip(i.vipAddress(), vip)), EurekaJson::applications,
                EurekaXml::applications);
    }

    @GetMapping("/svips/{svip}")
    ResponseEntity<byte[]> secureVip(@PathVariable String svip,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
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
