package io.beacon.bench.ceiling;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark ceiling: the same Spring Boot web stack as Beacon, answering with constant JSON. What
 * it reaches on a machine is the most any endpoint of Beacon can reach there.
 */
@SpringBootApplication
public class CeilingApplication {

    public static void main(String[] args) {
        SpringApplication.run(CeilingApplication.class, args);
    }
}
