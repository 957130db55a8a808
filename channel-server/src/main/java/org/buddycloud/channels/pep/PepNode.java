package org.buddycloud.channels.pep;

/** A personal node's configuration: who reads it and how many items it keeps (the newest). */
public record PepNode(String name, PepAccess access, int maxItems) {
}
