package io.iotpm.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-request HTTP/1.1 client over a socket bound to a chosen local address, so one test can play
 * clients from several addresses (127.0.0.1 and 127.0.0.2 are both loopback on Linux); Java 17's
 * HttpClient cannot choose its local address.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** @return the status code of {@code POST path} with a JSON body, sent from {@code localAddress} */
    static int post(IotpmServer server, String localAddress, String path, String json) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port()), 10_000);
            s.setSoTimeout(60_000);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                head.write(b);
            }
            String status = head.toString(StandardCharsets.US_ASCII);
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
