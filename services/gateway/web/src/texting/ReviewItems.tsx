// Replies the service could not read for sure ("stop texting me so much"): a person decides.
import { useReviewItems, useDecideReview, type ReviewItem } from "./queries";

const CHOICES: Record<ReviewItem["kind"], [string, "opt_out" | "wrong_number", string, "not_opt_out" | "not_wrong_number"]> = {
  revocation: ["Opt out", "opt_out", "Not an opt-out", "not_opt_out"],
  wrong_number: ["Wrong number", "wrong_number", "Not a wrong number", "not_wrong_number"],
};

const QUESTIONS: Record<ReviewItem["kind"], string> = {
  revocation: "Does this reply ask to stop texts? Texts to this phone wait until you decide.",
  wrong_number: "Does this reply say the number is not theirs?",
};

export function ReviewItems({ conversationIds }: { conversationIds: string[] }) {
  const items = useReviewItems(conversationIds);
  const decide = useDecideReview();
  if (!items.data?.length) return null;
  return (
    <ul className="review-items" aria-label="Replies to review">
      {items.data.map((item) => {
        const [yes, yesDecision, no, noDecision] = CHOICES[item.kind];
        return (
          <li key={item.review_item_id} className="review-item" role="group" aria-label={`Review: ${item.body}`}>
            <p><strong>“{item.body}”</strong> — {QUESTIONS[item.kind]}</p>
            <div className="row">
              <button type="button" className="danger" disabled={decide.isPending} onClick={() => decide.mutate({ item, decision: yesDecision })}>{yes}</button>
              <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ item, decision: noDecision })}>{no}</button>
            </div>
            {decide.isError && decide.variables?.item.review_item_id === item.review_item_id && (
              <p className="error" role="alert">{decide.error.message}</p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
