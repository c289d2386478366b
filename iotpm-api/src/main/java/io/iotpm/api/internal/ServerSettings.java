package io.iotpm.api.internal;

import io.iotpm.alerts.AlertManager;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.api.auth.UserStore;
import io.iotpm.api.training.ModelTrainer;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.stream.StreamHub;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What an {@code IotpmServer.builder()} was told, validated and resolved (schema, users and secret are
 * never null here). Not API: the builder is the only producer.
 *
 * @param host             address to bind
 * @param port             port to bind, 0 for an ephemeral one
 * @param storage          where readings are read from and ingested into
 * @param predictor        the initial predictor, or {@code null}
 * @param schema           the channels ingested readings must have
 * @param listeners        told of every ingested reading and every prediction
 * @param users            who may log in
 * @param secret           HMAC key of the tokens
 * @param demoMode         whether the server runs in demo mode
 * @param clock            time source for tokens, throttling and timestamps
 * @param accessTtl        access token lifetime
 * @param refreshTtl       refresh token lifetime
 * @param maxBodyBytes     largest accepted request body
 * @param loginFailures    failed logins allowed per (user, address) within {@code loginWindow}
 * @param loginWindow      the login throttle's window
 * @param corsOrigins      origins allowed to call cross-origin; empty: CORS off
 * @param maxPageSize      largest accepted {@code limit} query parameter
 * @param maxThreads       most HTTP worker threads
 * @param maxStreamClients most concurrent live-stream clients
 * @param hub              the live stream's source, or {@code null}
 * @param ingestToHub      whether ingest publishes to the hub instead of storing
 * @param alerts           the alert manager, or {@code null}
 * @param trainer          runs training jobs, or {@code null}
 * @param storageUri       the storage's URI for {@code GET /api/storage}, or {@code null}
 * @param retention        the retention the host applies, or {@code null}
 * @param drift            the input-drift monitor, or {@code null}
 */
public record ServerSettings(String host, int port, StorageBackend storage, Predictor predictor, SensorSchema schema,
                             List<MonitoringListener> listeners, UserStore users, byte[] secret, boolean demoMode,
                             Clock clock, Duration accessTtl, Duration refreshTtl, long maxBodyBytes,
                             int loginFailures, Duration loginWindow, List<String> corsOrigins, int maxPageSize,
                             int maxThreads, int maxStreamClients, StreamHub hub, boolean ingestToHub,
                             AlertManager alerts, ModelTrainer trainer, String storageUri, Duration retention,
                             DriftMonitor drift) {

    /** Copies the lists and the secret, so the settings stay as built. */
    public ServerSettings {
        listeners = List.copyOf(listeners);
        secret = secret.clone();
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** @return the HMAC key of the tokens (a copy) */
    @Override
    public byte[] secret() {
        return secret.clone();
    }
}
