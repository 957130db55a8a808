package org.buddycloud.search.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/** One change to the index, in the order the events came; every engine applies them the same way, idempotently. */
public sealed interface IndexChange {

    /** Hands the change to the engine's method for its kind. */
    void applyTo(Engine engine);

    /** What an engine does for each kind of change. */
    interface Engine {
        void putPost(PostEntry post);

        void removePost(Jid channel, String itemId);

        void putChannel(ChannelEntry channel);

        void changeAccess(Jid channel, AccessModel accessModel);

        /** Also remembers {@code at}, as {@link IndexState#removedAt} tells it. */
        void removeChannel(Jid channel, boolean entryToo, Instant at);

        /** Also remembers {@code at}, as {@link IndexState#removedAt} tells it. */
        void removeAuthor(Jid author, Instant at);
    }

    /** A post is new or edited: its entry replaces whatever the key held. */
    record PutPost(PostEntry post) implements IndexChange {
        @Override
        public void applyTo(Engine engine) {
            engine.putPost(post);
        }
    }

    record RemovePost(Jid channel, String itemId) implements IndexChange {
        @Override
        public void applyTo(Engine engine) {
            engine.removePost(channel, itemId);
        }
    }

    /** A channel's directory entry is new or changed. */
    record PutChannel(ChannelEntry channel) implements IndexChange {
        @Override
        public void applyTo(Engine engine) {
            engine.putChannel(channel);
        }
    }

    /** The channel's access model changed: every post of it is found (or hidden) by the new one. */
    record ChangeAccess(Jid channel, AccessModel accessModel) implements IndexChange {
        @Override
        public void applyTo(Engine engine) {
            engine.changeAccess(channel, accessModel);
        }
    }

    /** The channel's posts are gone ({@code /posts} deleted at {@code at}); its directory entry too when {@code entryToo}. */
    record RemoveChannel(Jid channel, boolean entryToo, Instant at) implements IndexChange {
        @Override
        public void applyTo(Engine engine) {
            engine.removeChannel(channel, entryToo, at);
        }
    }

    /** An account was deleted at {@code at}: what it wrote in other channels leaves the index too. */
    record RemoveAuthor(Jid author, Instant at) implements IndexChange {
        @Override
        public void applyTo(Engine engine) {
            engine.removeAuthor(author, at);
        }
    }
}
