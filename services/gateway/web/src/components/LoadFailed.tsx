// What a screen shows when a list or record could not be fetched: the API's words and a retry.

type Props = {
  /** What failed to load, in words: "Your number", "The contacts". */
  what: string;
  error: Error;
  onRetry: () => void;
  className: string;
};

export function LoadFailed({ what, error, onRetry, className }: Props) {
  return (
    <div className={`${className} error`} role="alert">
      <p>{what} could not be loaded: {error.message}</p>
      <button type="button" onClick={onRetry}>Try again</button>
    </div>
  );
}
