package org.buddycloud.channels.profile;

import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** Where each account's vCard lives. */
public interface VcardStore {

    Optional<String> vcard(Jid owner);

    Optional<String> photoHash(Jid owner);

    void save(Jid owner, String vcard, String photoHash);
}
