package io.iotpm.examples.showcase;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServeExampleTest {

    @Test
    void run_logsInWithAHashedPassword_andReadsTheDevicesWithTheToken() throws Exception {
        ServeExample.Result r = ServeExample.run(2, 42);
        assertThat(r.url()).startsWith("http://");
        assertThat(r.loginStatus()).isEqualTo(200);
        assertThat(r.devicesStatus()).isEqualTo(200);
        assertThat(r.devices()).contains("\"device_id\":\"PUMP_001\"", "\"device_id\":\"PUMP_002\"");
        assertThat(r.anonymousStatus()).isEqualTo(401);
    }
}
