package org.buddycloud.channels.upload;

import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** A slot asked for a file larger than this server takes; says how large a file may be. */
public class FileTooLarge extends DomainException {

    private final long maxFileSize;

    public FileTooLarge(long maxFileSize) {
        super(Condition.NOT_ACCEPTABLE, "files may be at most " + maxFileSize + " bytes");
        this.maxFileSize = maxFileSize;
    }

    public long maxFileSize() {
        return maxFileSize;
    }
}
