/**
 * The toolbar badge speaks for what the user must act on while no page of ours is open: Bastion tunnels that
 * failed (tunnel-notices.ts; "!" first, a session just ended) and expired NSG rules RDP now could not remove
 * (rule-expiry.ts; their count). Each source reports its own count and the other is read from its store, so a
 * worker that has just woken never blanks the other's badge. No `notifications` permission is needed.
 */
export interface BadgeCounts {
  closedTunnels: number;
  expiredRules: number;
}

/** The badge's text and the button's tooltip for these counts. Pure. */
export function badgeLook({ closedTunnels, expiredRules }: BadgeCounts): { text: string; title: string } {
  const said: string[] = [];
  if (closedTunnels > 0)
    said.push(
      `${closedTunnels === 1 ? 'a Bastion tunnel' : `${closedTunnels} Bastion tunnels`} closed with an error; open to connect again`,
    );
  if (expiredRules > 0)
    said.push(
      `${expiredRules} expired network rule${expiredRules > 1 ? 's' : ''} could not be removed; open to remove`,
    );
  return {
    text: closedTunnels > 0 ? '!' : expiredRules > 0 ? String(expiredRules) : '',
    title: said.length > 0 ? `RDP now: ${said.join('; ')}` : 'RDP now',
  };
}

/** The part of `browser.action` the badge uses. */
export interface ActionArea {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
}

export class Badge {
  constructor(
    private readonly action: ActionArea,
    private readonly read: { [K in keyof BadgeCounts]: () => Promise<number> },
  ) {}

  async show(known: Partial<BadgeCounts>): Promise<void> {
    const look = badgeLook({
      closedTunnels: known.closedTunnels ?? (await this.read.closedTunnels()),
      expiredRules: known.expiredRules ?? (await this.read.expiredRules()),
    });
    await this.action.setBadgeText({ text: look.text });
    await this.action.setBadgeBackgroundColor({ color: '#b3261e' });
    await this.action.setTitle({ title: look.title });
  }
}
