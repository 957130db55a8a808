package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.contracts.jid.Jid;

/** What a deleted account leaves of its archives here: nothing — exports with their bytes, imports, mappings go with it. */
@ApplicationScoped
public class AccountArchives {

    private final ExportJobs exports;
    private final ImportJobs imports;
    private final ImportMappings mappings;

    AccountArchives(ExportJobs exports, ImportJobs imports, ImportMappings mappings) {
        this.exports = exports;
        this.imports = imports;
        this.mappings = mappings;
    }

    public void forget(Jid account) {
        exports.forget(account);
        imports.forget(account);
        mappings.forget(account);
    }
}
