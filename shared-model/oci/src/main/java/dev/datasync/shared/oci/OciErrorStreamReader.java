package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.retry.ErrorStreamReader;
import dev.datasync.shared.retry.StreamUnavailableException;

import java.util.ArrayList;
import java.util.List;

/** {@link ErrorStreamReader} over the project's {@link PartitionReader} (GetMessages through the OCI SDK). */
public final class OciErrorStreamReader implements ErrorStreamReader {

    private final PartitionReader reader;

    public OciErrorStreamReader(PartitionReader reader) {
        this.reader = reader;
    }

    @Override
    public ReadResult read(String streamOcid, String partition, long readAfterOffset, int count,
                           PageHandler handler) {
        try {
            PartitionReader.Result r = reader.read(streamOcid, partition, readAfterOffset, count,
                    page -> handler.accept(stored(page)));
            return new ReadResult(r.handedOver(), r.reachedTip(), r.offsetTrimmed(), r.stopped());
        } catch (BmcException e) {
            throw new StreamUnavailableException(e.getStatusCode(), e.getServiceCode(), e);
        }
    }

    private static List<StoredMessage> stored(List<Message> page) {
        List<StoredMessage> out = new ArrayList<>(page.size());
        for (Message m : page) {
            out.add(new StoredMessage(m.getKey(), m.getValue() == null ? new byte[0] : m.getValue(), m.getOffset()));
        }
        return out;
    }
}
