package org.buddycloud.contracts.events;

/**
 * The Kafka topics of ARCHITECTURE.md with their default names; each service may rename them
 * through configuration ({@code buddycloud.topics.<logical name>}).
 */
public enum Topic {
    ACCOUNTS("buddycloud.accounts"),
    CHANNELS("buddycloud.channels"),
    POSTS("buddycloud.posts"),
    MEMBERSHIPS("buddycloud.memberships"),
    MEDIA("buddycloud.media");

    private final String defaultName;

    Topic(String defaultName) {
        this.defaultName = defaultName;
    }

    public String defaultName() {
        return defaultName;
    }
}
