package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.local.stack.RepoLayout;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.localoci.support.PrivateFiles;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import dev.datasync.localoci.Resources;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the inspection commands talk to: the local-oci of a running {@code ./datasync up} (found through
 * stack.json), or, when none runs, a local-oci opened on the same data directory for the duration of the command.
 * Either way through the real SDK clients.
 */
final class OciSession implements AutoCloseable {

    private final LocalOci ownOci;
    private final LocalOciClients clients;
    private final Resources resources;

    private OciSession(LocalOci ownOci, LocalOciClients clients, Resources resources) {
        this.ownOci = ownOci;
        this.clients = clients;
        this.resources = resources;
    }

    static OciSession open(Path dataDir) throws Exception {
        Optional<StackInfo> live = StackInfo.readLive(dataDir);
        if (live.isPresent()) {
            StackInfo s = live.get();
            Path resourcesFile = dataDir.resolve("oci/resources.json");
            PrivateFiles.requireOwnerOnly(resourcesFile);
            Resources r = new ObjectMapper().readValue(resourcesFile.toFile(), Resources.class);
            return new OciSession(null, LocalOciClients.forCommands(s.ociConfigFile(), s.ociProfile(), s.oci()), r);
        }
        LocalOci oci = LocalOci.start(LocalOciConfig.builder().dataDir(dataDir.resolve("oci")).port(0)
                .declaration(RepoLayout.locate().ociDeclaration()).build());
        return new OciSession(oci, LocalOciClients.forCommands(oci.configFile(), oci.profile(), oci.baseUrl()),
                oci.resources());
    }

    LocalOciClients clients() {
        return clients;
    }

    Resources resources() {
        return resources;
    }

    /** A stream given by name or OCID → its OCID. */
    String streamId(String nameOrOcid) {
        if (nameOrOcid.startsWith("ocid1.")) {
            return nameOrOcid;
        }
        String id = resources.streams().get(nameOrOcid);
        if (id == null) {
            throw new CliException("no stream named " + nameOrOcid + " (known: "
                    + String.join(", ", new java.util.TreeSet<>(resources.streams().keySet())) + ")");
        }
        return id;
    }

    @Override
    public void close() {
        clients.close();
        if (ownOci != null) {
            ownOci.close();
        }
    }
}
