package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.model.CreateStreamDetails;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.model.StreamSummary;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Streaming control plane (StreamAdminClient): CreateStream, GetStream, ListStreams, DeleteStream. */
final class StreamAdminApi {
    static final String DEFAULT_POOL = "DefaultPool";
    private static final String BASE = "/20180418/streams";

    private final ServiceContext ctx;
    private final StreamRepository streams;

    StreamAdminApi(ServiceContext ctx, StreamRepository streams) {
        this.ctx = ctx;
        this.streams = streams;
    }

    void register(Router router) {
        router.post(BASE, "CreateStream", this::createStream)
                .get(BASE, "ListStreams", this::listStreams)
                .get(BASE + "/{streamId}", "GetStream", this::getStream)
                .delete(BASE + "/{streamId}", "DeleteStream", this::deleteStream);
    }

    private Response getStream(Request request) {
        StreamRecord stream = streams.get(request.path("streamId"));
        return Response.json(toModel(stream)).header("etag", etag(stream));
    }

    private Response createStream(Request request) {
        CreateStreamDetails details = request.bodyAs(CreateStreamDetails.class);
        StreamRecord created = create(details.getName(), details.getCompartmentId(), details.getStreamPoolId(),
                details.getPartitions(), details.getRetentionInHours(), details.getFreeformTags(),
                details.getDefinedTags());
        return Response.json(toModel(created)).header("etag", etag(created))
                .header("opc-work-request-id", ctx.ocids().regional("streamworkrequest"));
    }

    /** Shared by the API and the declaration. */
    StreamRecord create(String name, String compartmentId, String streamPoolId, Integer partitions,
                        Integer retentionInHours, java.util.Map<String, String> freeformTags,
                        java.util.Map<String, java.util.Map<String, Object>> definedTags) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw OciException.invalidParameter("name is required (1 to 255 characters)");
        }
        if (partitions == null) {
            throw OciException.missingParameter("partitions is required");
        }
        if (partitions < 1 || partitions > 50) {
            throw OciException.invalidParameter("partitions must be between 1 and 50");
        }
        int retention = retentionInHours == null ? 24 : retentionInHours;
        if (retention < 24 || retention > 168) {
            throw OciException.invalidParameter("retentionInHours must be between 24 and 168");
        }
        StreamRepository.Pool pool = resolvePool(compartmentId, streamPoolId);
        return streams.create(ctx.ocids().regional("stream"), name, pool, partitions, retention,
                ctx.clock().millis(), freeformTags, definedTags);
    }

    private StreamRepository.Pool resolvePool(String compartmentId, String streamPoolId) {
        if (streamPoolId != null) {
            StreamRepository.Pool pool = streams.findPool(streamPoolId);
            if (pool == null) {
                throw OciException.notFound("Stream pool " + streamPoolId + " not found or not authorized");
            }
            if (compartmentId != null && !compartmentId.equals(pool.compartmentId())) {
                throw OciException.invalidParameter("compartmentId does not match the stream pool's compartment");
            }
            return pool;
        }
        if (compartmentId == null) {
            throw OciException.missingParameter("compartmentId or streamPoolId is required");
        }
        ctx.compartments().require(compartmentId);
        return streams.ensurePool(DEFAULT_POOL, compartmentId, ctx.ocids().regional("streampool"), ctx.clock().millis());
    }

    private Response listStreams(Request request) {
        String compartmentId = request.query("compartmentId");
        String poolId = request.query("streamPoolId");
        if ((compartmentId == null) == (poolId == null)) {
            throw OciException.invalidParameter("Exactly one of compartmentId and streamPoolId is required");
        }
        int limit = request.queryInt("limit") == null ? 10 : request.queryInt("limit");
        if (limit < 1 || limit > 50) {
            throw OciException.invalidParameter("limit must be between 1 and 50");
        }
        String id = request.query("id");
        String name = request.query("name");
        String state = request.query("lifecycleState");
        String sortBy = request.query("sortBy") == null ? "TIMECREATED" : request.query("sortBy");
        String sortOrder = request.query("sortOrder") == null ? "ASC" : request.query("sortOrder");
        Comparator<StreamRecord> order = switch (sortBy) {
            case "NAME" -> Comparator.comparing(StreamRecord::name).thenComparing(StreamRecord::seq);
            case "TIMECREATED" -> Comparator.comparing(StreamRecord::timeCreatedMillis).thenComparing(StreamRecord::seq);
            default -> throw OciException.invalidParameter("sortBy must be NAME or TIMECREATED");
        };
        if (sortOrder.equals("DESC")) {
            order = order.reversed();
        } else if (!sortOrder.equals("ASC")) {
            throw OciException.invalidParameter("sortOrder must be ASC or DESC");
        }
        List<StreamRecord> matching = streams.all().stream()
                .filter(s -> compartmentId == null || s.compartmentId().equals(compartmentId))
                .filter(s -> poolId == null || s.streamPoolId().equals(poolId))
                .filter(s -> id == null || s.id().equals(id))
                .filter(s -> name == null || s.name().equals(name))
                .filter(s -> state == null || s.state().getValue().equalsIgnoreCase(state.toUpperCase(Locale.ROOT)))
                .sorted(order)
                .collect(Collectors.toList());
        int start = decodePage(request.query("page"));
        int end = Math.min(matching.size(), start + limit);
        List<StreamSummary> page = matching.subList(Math.min(start, matching.size()), end).stream()
                .map(this::toSummary).collect(Collectors.toList());
        Response response = Response.json(page);
        if (end < matching.size()) {
            response.header("opc-next-page", encodePage(end));
        }
        return response;
    }

    private Response deleteStream(Request request) {
        StreamRecord stream = streams.get(request.path("streamId"));
        if (!stream.active()) {
            throw OciException.notFound("Stream " + stream.id() + " not found or not authorized");
        }
        streams.delete(stream);
        return Response.empty(202).header("opc-work-request-id", ctx.ocids().regional("streamworkrequest"));
    }

    Stream toModel(StreamRecord s) {
        return Stream.builder().name(s.name()).id(s.id()).partitions(s.partitions())
                .retentionInHours(s.retentionInHours()).compartmentId(s.compartmentId())
                .streamPoolId(s.streamPoolId()).lifecycleState(s.state())
                .timeCreated(new Date(s.timeCreatedMillis())).messagesEndpoint(ctx.baseUrl())
                .freeformTags(s.freeformTags()).definedTags(s.definedTags()).build();
    }

    private StreamSummary toSummary(StreamRecord s) {
        return StreamSummary.builder().name(s.name()).id(s.id()).partitions(s.partitions())
                .compartmentId(s.compartmentId()).streamPoolId(s.streamPoolId())
                .lifecycleState(StreamSummary.LifecycleState.create(s.state().getValue()))
                .timeCreated(new Date(s.timeCreatedMillis())).messagesEndpoint(ctx.baseUrl())
                .freeformTags(s.freeformTags()).definedTags(s.definedTags()).build();
    }

    private static String etag(StreamRecord s) {
        return Integer.toHexString((s.id() + s.state().getValue()).hashCode());
    }

    private static String encodePage(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("p" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodePage(String page) {
        if (page == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(page), StandardCharsets.UTF_8);
            if (!text.startsWith("p")) {
                throw new IllegalArgumentException();
            }
            return Integer.parseInt(text.substring(1));
        } catch (IllegalArgumentException e) {
            throw OciException.invalidParameter("page is not a valid page token");
        }
    }
}
