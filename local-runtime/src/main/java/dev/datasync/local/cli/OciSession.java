package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.local.stack.AppConfigFile;
import dev.datasync.local.stack.AppConfigTemplate;
import dev.datasync.local.stack.RepoLayout;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.localoci.support.PrivateFiles;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import dev.datasync.localoci.Resources;
import dev.datasync.shared.config.DataSyncConfig;

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
    private final AppConfigTemplate.OciEndpoint endpoint;
    /** The running stack's data dir, whose {@link AppConfigFile} its functions use; null without a stack. */
    private final Path liveConfig;

    private OciSession(LocalOci ownOci, LocalOciClients clients, Resources resources,
                       AppConfigTemplate.OciEndpoint endpoint, Path liveConfig) {
        this.ownOci = ownOci;
        this.clients = clients;
        this.resources = resources;
        this.endpoint = endpoint;
        this.liveConfig = liveConfig;
    }

    static OciSession open(Path dataDir) throws Exception {
        Optional<StackInfo> live = StackInfo.readLive(dataDir);
        if (live.isPresent()) {
            StackInfo s = live.get();
            Path resourcesFile = dataDir.resolve("oci/resources.json");
            PrivateFiles.requireOwnerOnly(resourcesFile);
            Resources r = new ObjectMapper().readValue(resourcesFile.toFile(), Resources.class);
            return new OciSession(null, LocalOciClients.forCommands(s.ociConfigFile(), s.ociProfile(), s.oci()), r,
                    new AppConfigTemplate.OciEndpoint(s.oci(), r.region(), s.ociConfigFile(), s.ociProfile()),
                    dataDir);
        }
        LocalOci oci = LocalOci.start(LocalOciConfig.builder().dataDir(dataDir.resolve("oci")).port(0)
                .declaration(RepoLayout.locate().ociDeclaration()).build());
        return new OciSession(oci, LocalOciClients.forCommands(oci.configFile(), oci.profile(), oci.baseUrl()),
                oci.resources(), new AppConfigTemplate.OciEndpoint(oci.baseUrl(), oci.resources().region(),
                        oci.configFile(), oci.profile()), null);
    }

    LocalOciClients clients() {
        return clients;
    }

    Resources resources() {
        return resources;
    }

    /**
     * The functions' configuration, for a command that works with the functions' own adapters (the signing secrets
     * in Vault): the running stack's own ({@code app-config.json}, what its functions use), else the app-config
     * template filled over this local-oci as {@code up} fills it, from {@code env} (the gateway's port is not known
     * then; nothing these commands use depends on it).
     */
    DataSyncConfig functionConfig(java.util.function.Function<String, String> env) throws java.io.IOException {
        if (liveConfig != null) {
            Optional<DataSyncConfig> live = AppConfigFile.read(liveConfig);
            if (live.isPresent()) {
                return live.get();
            }
        }
        return DataSyncConfig.from(AppConfigTemplate.fill(RepoLayout.locate().appConfigTemplate(), resources,
                endpoint, 1, env));
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
