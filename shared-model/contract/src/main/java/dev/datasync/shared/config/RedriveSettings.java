package dev.datasync.shared.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The automatic redrive of the recoverable error streams.
 * <ul>
 * <li>{@code schedule} ({@code redrive_schedule}): the waits before each redrive try, the first counted from the
 * first failure, each later one from the try before it. Slot {@code i} is the wait after {@code i} redrive tries;
 * a message that fails the try after the last slot is dead-lettered ({@code scheduleExhausted}). Slots need not
 * grow: any wait from 1 s to 168 h is taken as given.</li>
 * <li>{@code maxAge} ({@code redrive_max_age}): a message still failing this long after {@code firstFailedAt} is
 * dead-lettered ({@code maxAge}); its last try is at that age at the latest.</li>
 * <li>{@code streams} ({@code redrive_stream_ocids}): the streams redriven; never the unrecoverable stream, the
 * data stream or the dead-letter stream.</li>
 * <li>{@code group} ({@code redrive_group}): the Streaming consumer group the redrive reads each stream through.</li>
 * <li>{@code deadLetterStream} ({@code dead_letter_stream_ocid}): where messages end that the redrive gives up
 * on.</li>
 * </ul>
 */
public record RedriveSettings(List<Duration> schedule, Duration maxAge, Set<String> streams, String group,
                              String deadLetterStream) {

    public static final String DEFAULT_SCHEDULE = "1m,5m,30m,2h,5h,10h,10h";
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final String DEFAULT_GROUP = "datasync-redrive";
    /** Shortest slot and shortest max age. */
    public static final Duration MIN_WAIT = Duration.ofSeconds(1);
    /** Longest slot and longest max age: seven days, the longest retention of an OCI stream. */
    public static final Duration MAX_WAIT = Duration.ofHours(168);
    /** Most slots in a schedule. */
    public static final int MAX_SLOTS = 200;

    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,255}");

    public RedriveSettings {
        schedule = List.copyOf(schedule);
        streams = Set.copyOf(streams);
    }

    /** Whether failures routed to {@code stream} are redriven automatically. */
    public boolean redriven(String stream) {
        return streams.contains(stream);
    }

    /** The wait after {@code tries} redrive tries (0: after the first failure); empty when the schedule is over. */
    public Optional<Duration> slot(int tries) {
        return tries >= 0 && tries < schedule.size() ? Optional.of(schedule.get(tries)) : Optional.empty();
    }

    /** The shortest wait of the schedule: how often a redrive pass finds something due at the most. */
    public Duration shortestSlot() {
        return schedule.stream().min(Duration::compareTo).orElseThrow();
    }

    static RedriveSettings parse(ConfigValues v, StreamIds ids) {
        List<Duration> schedule = schedule(v.list(ConfigKeys.REDRIVE_SCHEDULE));
        Duration maxAge = v.duration(ConfigKeys.REDRIVE_MAX_AGE, DEFAULT_MAX_AGE, MIN_WAIT, MAX_WAIT);
        if (maxAge.compareTo(schedule.get(0)) < 0) {
            throw new ConfigException(ConfigKeys.REDRIVE_MAX_AGE, ConfigDurations.format(maxAge)
                    + " is shorter than the first slot of " + ConfigKeys.REDRIVE_SCHEDULE + " ("
                    + ConfigDurations.format(schedule.get(0)) + "): no message would be redriven");
        }
        String deadLetter = v.requiredOcid(ConfigKeys.DEAD_LETTER_STREAM_OCID, "stream");
        if (deadLetter.equals(ids.dataStream())) {
            throw new ConfigException(ConfigKeys.DEAD_LETTER_STREAM_OCID,
                    "must not be the data stream (" + ConfigKeys.DATA_STREAM_OCID + ")");
        }
        Set<String> streams = streams(v.list(ConfigKeys.REDRIVE_STREAM_OCIDS), ids, deadLetter);
        String group = v.optional(ConfigKeys.REDRIVE_GROUP).orElse(DEFAULT_GROUP);
        if (!GROUP.matcher(group).matches()) {
            throw new ConfigException(ConfigKeys.REDRIVE_GROUP, "'" + group + "' is not a consumer group name"
                    + " (letters, digits, . _ -, starting with a letter or digit, at most 256 characters)");
        }
        return new RedriveSettings(schedule, maxAge, streams, group, deadLetter);
    }

    private static List<Duration> schedule(List<String> items) {
        if (items.isEmpty()) {
            items = List.of(DEFAULT_SCHEDULE.split(","));
        }
        if (items.size() > MAX_SLOTS) {
            throw new ConfigException(ConfigKeys.REDRIVE_SCHEDULE, "has " + items.size() + " slots; at most "
                    + MAX_SLOTS);
        }
        List<Duration> out = new ArrayList<>(items.size());
        for (String item : items) {
            Duration slot = ConfigDurations.parse(ConfigKeys.REDRIVE_SCHEDULE, item);
            if (slot.compareTo(MIN_WAIT) < 0 || slot.compareTo(MAX_WAIT) > 0) {
                throw new ConfigException(ConfigKeys.REDRIVE_SCHEDULE, "'" + item + "' is outside "
                        + ConfigDurations.format(MIN_WAIT) + ".." + ConfigDurations.format(MAX_WAIT));
            }
            out.add(slot);
        }
        return out;
    }

    private static Set<String> streams(List<String> listed, StreamIds ids, String deadLetter) {
        Set<String> out = new LinkedHashSet<>();
        if (listed.isEmpty()) {
            out.addAll(List.of(ids.serviceUnavailable(), ids.internalServer(), ids.defaultError()));
        }
        for (String ocid : listed) {
            ConfigValues.checkOcid(ConfigKeys.REDRIVE_STREAM_OCIDS, ocid, "stream");
            if (ocid.equals(ids.unrecoverable())) {
                throw new ConfigException(ConfigKeys.REDRIVE_STREAM_OCIDS, "must not list the unrecoverable stream ("
                        + ConfigKeys.UNRECOVERABLE_ERROR_STREAM_OCID + "): its messages can never succeed, so it is"
                        + " never redriven automatically");
            }
            if (ocid.equals(ids.dataStream())) {
                throw new ConfigException(ConfigKeys.REDRIVE_STREAM_OCIDS,
                        "must not list the data stream: it is delivered by the connector");
            }
            out.add(ocid);
        }
        if (out.contains(deadLetter)) {
            // the key at fault is the one set: the list, or the dead-letter stream when the list is the default
            throw listed.isEmpty()
                    ? new ConfigException(ConfigKeys.DEAD_LETTER_STREAM_OCID, "must not be one of the streams "
                    + ConfigKeys.REDRIVE_STREAM_OCIDS + " redrives (by default the serviceUnavailable, internalserver"
                    + " and default error streams): its messages would be redriven forever")
                    : new ConfigException(ConfigKeys.REDRIVE_STREAM_OCIDS, "must not list the dead-letter stream ("
                    + ConfigKeys.DEAD_LETTER_STREAM_OCID + "): its messages would be redriven forever");
        }
        return out;
    }
}
