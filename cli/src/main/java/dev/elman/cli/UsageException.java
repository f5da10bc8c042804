package dev.elman.cli;

/**
 * A mistake the user made on the command line or in a file they named: printed as one line,
 * without a stack trace (unless {@code --verbose}), and the command exits with status 2.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the option, file or field
     */
    public UsageException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the option, file or field
     * @param cause the underlying failure, shown with {@code --verbose}
     */
    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
