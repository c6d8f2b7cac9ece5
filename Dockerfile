# syntax=docker/dockerfile:1
# Beacon container image: build with the Maven wrapper on a JDK, run the layered jar on a JRE as non-root.
#   docker build -t beacon:dev .
#   docker run --rm -p 8080:8080 -e BEACON_SECURITY_TOKENS_ADMIN_SECRET="$(openssl rand -base64 32)" \
#     -e BEACON_SECURITY_TOKENS_ADMIN_SCOPES=admin beacon:dev
# The image enforces access control (docs/security.md): it refuses to start without an admin token.
# For a quick local try without tokens: -e BEACON_SECURITY_MODE=open

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the pom or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN chmod +x mvnw && ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/beacon.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 beacon \
 && useradd --system --uid 10001 --gid beacon --no-create-home --shell /usr/sbin/nologin beacon
WORKDIR /app
# Least to most often changed, so a code change rebuilds only the last layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001:10001
# Access control on by default: every request but the health probes needs a token with the right scope.
ENV BEACON_SECURITY_MODE=enforced
EXPOSE 8080
# Exec form: the JVM is PID 1 and receives SIGTERM; server.shutdown=graceful drains requests.
# More JVM flags: JAVA_TOOL_OPTIONS. Spring settings: environment (BEACON_LEASE_DURATION=...) or arguments.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "org.springframework.boot.loader.launch.JarLauncher"]
