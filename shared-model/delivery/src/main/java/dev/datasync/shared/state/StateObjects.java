package dev.datasync.shared.state;

import java.util.List;
import java.util.Optional;

/**
 * The functions' shared state: small objects in one bucket ({@code state_bucket}, Object Storage on OCI), written
 * only with conditions so that every container sees one truth. {@link #create} writes only when no object has the
 * name ({@code If-None-Match: *}); {@link #replace} and {@link #delete} only while the object is still the version
 * read ({@code If-Match: <etag>}). A lost race is a {@link StateConflictException}: read again and decide again.
 * Object Storage is strongly consistent, so a read after a successful write sees that write, in every container.
 * <p>
 * Objects carry their own expiry where they need one: Object Storage lifecycle rules work in whole days.
 */
public interface StateObjects {

    /** The object and its version, or empty when there is none. */
    Optional<StateObject> read(String name);

    /**
     * The object when its version is no longer {@code etag} (empty when there is none), or {@code same} when it still
     * is, without its body crossing the wire ({@code If-None-Match: <etag>}, answered 304): a container keeps an
     * object and asks this once per batch.
     */
    Optional<StateObject> readIfChanged(String name, StateObject same);

    /** @return the new version's etag; @throws StateConflictException when an object has the name */
    String create(String name, byte[] body);

    /** @return the new version's etag; @throws StateConflictException when the object is not at {@code etag} */
    String replace(String name, byte[] body, String etag);

    /** @throws StateConflictException when the object is not at {@code etag} (a missing object is no conflict) */
    void delete(String name, String etag);

    /** Names of the objects under {@code prefix}, in name order, at most {@code limit}. */
    List<String> list(String prefix, int limit);
}
