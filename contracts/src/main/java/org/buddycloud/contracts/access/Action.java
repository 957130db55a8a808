package org.buddycloud.contracts.access;

/** What an actor may try on a node; {@link Permissions} decides. */
public enum Action {
    /** Read items, the followers list and the subscriptions of the node. */
    READ,
    /** Publish a post or reply, and edit one's own. */
    PUBLISH,
    /** Delete one's own post. */
    RETRACT_OWN,
    /** Delete anybody's post. */
    RETRACT_ANY,
    /** Ask to follow. */
    SUBSCRIBE,
    /** Invite somebody to follow. */
    INVITE,
    /** Change the node configuration. */
    CONFIGURE,
    /** Approve or refuse pending followers, remove followers, see pending and banned JIDs. */
    MANAGE_SUBSCRIPTIONS,
    /** Make somebody member, publisher, moderator or outcast. */
    MANAGE_AFFILIATIONS,
    /** Delete the node or the channel, make somebody owner. */
    ADMINISTER
}
