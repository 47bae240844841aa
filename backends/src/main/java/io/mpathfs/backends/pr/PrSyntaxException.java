package io.mpathfs.backends.pr;

/** A PR command line or value that cannot be understood; the message is one line for the user. */
public class PrSyntaxException extends Exception {
    public PrSyntaxException(String message) {
        super(message);
    }
}
