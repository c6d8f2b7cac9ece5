package io.beacon.bench.eureka;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/**
 * A stock Netflix Eureka server used as the peer in Beacon's side-by-side benchmarks: standalone,
 * self-preservation off, no peer replication, listening on 127.0.0.1 only.
 */
@SpringBootApplication
@EnableEurekaServer
public class EurekaPeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(EurekaPeerApplication.class, args);
    }
}
