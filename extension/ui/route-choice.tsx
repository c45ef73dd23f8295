/**
 * The report's "Route" control for a VM with an Azure Bastion in reach or no public route: the user's choice is
 * stored for this VM and the check runs again on it. Radio buttons, so arrow keys choose and focus stays here.
 */
import { ROUTE_CHOICES, type RouteChoice } from '../settings';

export const ROUTE_LABELS: Readonly<Record<RouteChoice, string>> = {
  auto: 'Automatic',
  direct: 'Direct',
  bastion: 'Through Azure Bastion',
};

export interface RouteChoiceProps {
  choice: RouteChoice;
  onChoose(choice: RouteChoice): void;
  /** While a check runs a press is not taken (the check in progress is for the current choice). */
  busy: boolean;
}

export function RouteChoiceControl({ choice, onChoose, busy }: RouteChoiceProps) {
  return (
    <fieldset class="route-choice" aria-busy={busy}>
      <legend>Route</legend>
      {ROUTE_CHOICES.map((value) => (
        <label key={value}>
          <input
            type="radio"
            name="route"
            value={value}
            checked={choice === value}
            onChange={() => {
              if (!busy) onChoose(value);
            }}
          />
          {ROUTE_LABELS[value]}
        </label>
      ))}
    </fieldset>
  );
}
