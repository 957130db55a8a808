package org.buddycloud.search.domain;

/** The channel directory ({@code metadata_query}): title, description and owner of the channels one may read. */
public record ChannelQuery(SearchText text, Page page) {
}
