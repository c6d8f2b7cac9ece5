package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.CoyoteAdapter;
import org.apache.catalina.connector.InputBuffer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.coyote.Adapter;
import org.apache.tomcat.util.net.SocketEvent;
import org.junit.jupiter.api.Test;

class LeanRequestAdapterTest {

    private final List<Object[]> served = new ArrayList<>();
    private final Adapter tomcat = new Adapter() {
        @Override
        public void service(org.apache.coyote.Request req, org.apache.coyote.Response res) {
            served.add(new Object[] {req.getNote(CoyoteAdapter.ADAPTER_NOTES), res.getNote(CoyoteAdapter.ADAPTER_NOTES)});
        }

        @Override
        public boolean prepare(org.apache.coyote.Request req, org.apache.coyote.Response res) {
            return true;
        }

        @Override
        public boolean asyncDispatch(org.apache.coyote.Request req, org.apache.coyote.Response res, SocketEvent status) {
            return true;
        }

        @Override
        public void log(org.apache.coyote.Request req, org.apache.coyote.Response res, long time) {
        }

        @Override
        public void checkRecycled(org.apache.coyote.Request req, org.apache.coyote.Response res) {
        }

        @Override
        public String getDomain() {
            return "beacon-test";
        }
    };
    private final LeanRequestAdapter adapter = new LeanRequestAdapter(tomcat, new Connector("HTTP/1.1"), 2048, 512);

    @Test
    void theFirstRequestOfAProcessorGetsTheConfiguredBuffers() throws Exception {
        org.apache.coyote.Request req = new org.apache.coyote.Request();
        org.apache.coyote.Response res = new org.apache.coyote.Response();

        adapter.service(req, res);

        assertThat(served).hasSize(1);
        Request request = (Request) served.get(0)[0];
        Response response = (Response) served.get(0)[1];
        assertThat(response.getBufferSize()).isEqualTo(2048);
        assertThat(request.getResponse()).isSameAs(response);
        assertThat(response.getRequest()).isSameAs(request);
        assertThat(request.getCoyoteRequest()).isSameAs(req);
        assertThat(readerCapacity(request)).isEqualTo(512);
    }

    @Test
    void laterRequestsOfTheSameProcessorKeepThePair() throws Exception {
        org.apache.coyote.Request req = new org.apache.coyote.Request();
        org.apache.coyote.Response res = new org.apache.coyote.Response();

        adapter.service(req, res);
        adapter.service(req, res);

        assertThat(served).hasSize(2);
        assertThat(served.get(1)[0]).isSameAs(served.get(0)[0]);
        assertThat(served.get(1)[1]).isSameAs(served.get(0)[1]);
    }

    @Test
    void theOtherCallsGoToTomcatsAdapter() throws Exception {
        org.apache.coyote.Request req = new org.apache.coyote.Request();
        org.apache.coyote.Response res = new org.apache.coyote.Response();

        assertThat(adapter.asyncDispatch(req, res, SocketEvent.OPEN_READ)).isTrue();
        assertThat(adapter.getDomain()).isEqualTo("beacon-test");
        assertThat(req.getNote(CoyoteAdapter.ADAPTER_NOTES)).as("a dispatch creates nothing").isNull();

        adapter.log(req, res, 1);
        assertThat(((Response) res.getNote(CoyoteAdapter.ADAPTER_NOTES)).getBufferSize())
                .as("a request logged before it was served gets the small pair too").isEqualTo(2048);
    }

    private static int readerCapacity(Request request) throws ReflectiveOperationException {
        Field input = Request.class.getDeclaredField("inputBuffer");
        input.setAccessible(true);
        Field chars = InputBuffer.class.getDeclaredField("cb");
        chars.setAccessible(true);
        return ((CharBuffer) chars.get(input.get(request))).capacity();
    }
}
