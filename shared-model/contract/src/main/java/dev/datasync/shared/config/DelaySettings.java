package dev.datasync.shared.config;

import java.time.Duration;
import java.util.List;

/**
 * Delayed delivery ({@code streamMessage.deliverAfter}). A message not yet due is not sent: the delivering function
 * routes it, without a call, to {@code stream} — a redriven error stream — with {@code nextAttemptAt} = its
 * deliverAfter, and the automatic redrive delivers it once that time has come (the redrive copies it forward until
 * then, so no retention runs out while it waits).
 *
 * @param maxDelay {@code max_delivery_delay}: how far ahead deliverAfter may be when the message is accepted. Below
 *                 {@code redrive_max_age}: a later message of the same key, held behind the delayed one, counts its
 *                 max age from when it was held, so it must outlive the delay; the default is half of it (12 h with
 *                 the default 24 h)
 * @param stream   the error stream delayed messages wait in: the serviceUnavailable stream when it is redriven (the
 *                 default), else the default, else the internalserver error stream, else any redriven stream
 */
public record DelaySettings(Duration maxDelay, String stream) {

    static DelaySettings parse(ConfigValues v, StreamIds streams, RedriveSettings redrive) {
        Duration half = redrive.maxAge().dividedBy(2);
        Duration defaultDelay = half.compareTo(RedriveSettings.MIN_WAIT) < 0 ? RedriveSettings.MIN_WAIT : half;
        Duration maxDelay = v.duration(ConfigKeys.MAX_DELIVERY_DELAY, defaultDelay, RedriveSettings.MIN_WAIT,
                RedriveSettings.MAX_WAIT);
        if (maxDelay.compareTo(redrive.maxAge()) >= 0) {
            throw new ConfigException(ConfigKeys.MAX_DELIVERY_DELAY, ConfigDurations.format(maxDelay)
                    + " is not below " + ConfigKeys.REDRIVE_MAX_AGE + " (" + ConfigDurations.format(redrive.maxAge())
                    + "): a message held behind a delayed one of its key would be dead-lettered before it is due");
        }
        String stream = null;
        for (String candidate : List.of(streams.serviceUnavailable(), streams.defaultError(),
                streams.internalServer())) {
            if (stream == null && redrive.redriven(candidate)) {
                stream = candidate;
            }
        }
        if (stream == null) {
            stream = redrive.streams().stream().sorted().findFirst().orElseThrow();
        }
        return new DelaySettings(maxDelay, stream);
    }
}
