package dev.datasync.shared.delivery;

import dev.datasync.shared.config.TargetAllowlist;

/**
 * The allow-lists of source applications, as the source registry holds them (on OCI the state bucket's
 * {@code sources/<id>.json}, read through a per-container cache): the delivery checks a message's target against
 * its source's list as well as the global one.
 */
@FunctionalInterface
public interface SourceAllowlists {

    /**
     * The source's own allow-list (with the global deny-list and scheme rule), or null when the global list alone
     * applies to it.
     *
     * @throws SourceUnavailableException when the registry cannot be read now
     */
    TargetAllowlist of(String sourceId);
}
