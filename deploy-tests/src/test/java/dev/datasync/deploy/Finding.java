package dev.datasync.deploy;

/** One problem the offline Terraform check found, with where it is. */
public record Finding(Kind kind, String where, String message) {

    public enum Kind {
        UNKNOWN_TYPE,
        UNDETAILED_TYPE,
        UNKNOWN_ARGUMENT,
        MISSING_REQUIRED,
        WRONG_NESTING,
        READ_ONLY_ARGUMENT,
        UNDECLARED_VARIABLE,
        UNDECLARED_LOCAL,
        UNDECLARED_RESOURCE,
        UNDECLARED_DATA_SOURCE,
        UNKNOWN_ATTRIBUTE,
        UNKNOWN_REFERENCE,
        INVALID_MOVE
    }

    @Override
    public String toString() {
        return where + ": " + kind + ": " + message;
    }
}
