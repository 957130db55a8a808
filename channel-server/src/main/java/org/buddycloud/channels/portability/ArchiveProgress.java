package org.buddycloud.channels.portability;

/** Told how far an export or an import got (items: posts, members, files), so that its job shows progress and proves it lives. */
public interface ArchiveProgress {

    void total(long items);

    void advance(long items);
}
