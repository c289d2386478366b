package io.iotpm.mqtt;

/** The MQTT client could not be created, connect, subscribe or close; the message names the broker URL, never a password. */
public class MqttClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the broker URL and client id
     * @param cause   the client's exception
     */
    public MqttClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
