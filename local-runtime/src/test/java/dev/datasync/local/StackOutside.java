package dev.datasync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.localoci.Resources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack running in another process ({@link UpProcess}) as a tester sees it from outside, through its data dir:
 * the gateway and local-oci it names in {@code stack.json}, local-oci's streams read with the real SDK clients, and
 * local-oci's admin endpoint. Open one per run of the stack: a restarted stack listens on new ports.
 */
public final class StackOutside implements AutoCloseable {

    private final StackInfo info;
    private final Resources resources;
    private final LocalOciClients clients;
    private final OciAdmin admin;

    private StackOutside(StackInfo info, Resources resources, LocalOciClients clients, OciAdmin admin) {
        this.info = info;
        this.resources = resources;
        this.clients = clients;
        this.admin = admin;
    }

    /** The live stack of {@code dataDir} (fails when none runs). */
    public static StackOutside open(Path dataDir) throws Exception {
        StackInfo info = StackInfo.readLive(dataDir).orElseThrow(
                () -> new IllegalStateException("no live stack on " + dataDir));
        Resources resources = new ObjectMapper().readValue(dataDir.resolve("oci/resources.json").toFile(),
                Resources.class);
        return new StackOutside(info, resources,
                new LocalOciClients(info.ociConfigFile(), info.ociProfile(), info.oci()),
                new OciAdmin(info.oci(), dataDir));
    }

    public String gatewayUrl() {
        return info.gateway();
    }

    public OciAdmin admin() {
        return admin;
    }

    public LocalOciClients clients() {
        return clients;
    }

    /** The OCID of the stream of that name (fails for a stream the stack does not declare). */
    public String streamId(String streamName) {
        String id = resources.streams().get(streamName);
        if (id == null) {
            throw new IllegalStateException("the stack declares no stream " + streamName + " (it has "
                    + resources.streams().keySet() + ")");
        }
        return id;
    }

    /** Every message retained in the stream of that name, partition after partition. */
    public List<Message> messages(String streamName) {
        String id = streamId(streamName);
        StreamInspector inspector = new StreamInspector(clients.streamAdmin(), clients.stream());
        List<Message> all = new ArrayList<>();
        for (int p = 0; p < inspector.get(id).getPartitions(); p++) {
            all.addAll(inspector.read(id, Integer.toString(p), null, Integer.MAX_VALUE));
        }
        return all;
    }

    @Override
    public void close() {
        clients.close();
    }
}
