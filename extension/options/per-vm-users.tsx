/** The options page's list of user names for particular VMs, with its add form. */
import { useState } from 'preact/hooks';
import { validateUserName, validateVmKey } from '../ui/settings-form';
import { FieldError } from './fields';
import { store } from './page-state';
import { PerVmList } from './per-vm-list';

export function PerVmUsers({ byVm }: { byVm: Readonly<Record<string, string>> }) {
  const [vmText, setVmText] = useState('');
  const [userText, setUserText] = useState('');
  const [vmError, setVmError] = useState<string | null>(null);
  const [userError, setUserError] = useState<string | null>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    const vm = validateVmKey(vmText);
    const user = validateUserName(userText);
    setVmError(vm.ok ? null : vm.message);
    setUserError(user.ok ? (user.value === '' ? 'Enter the user name for this VM.' : null) : user.message);
    if (!vm.ok || !user.ok || user.value === '') return;
    if (await store.setUserFor(vm.value, user.value)) {
      setVmText('');
      setUserText('');
    }
  };
  return (
    <PerVmList
      id="per-vm-title"
      title="User names for particular VMs"
      empty="None: every VM uses the default user name."
      entries={byVm}
      what="the user name"
      onRemove={(key) => void store.removeFor('userByVm', key)}
    >
      <form class="per-vm-add" onSubmit={(e) => void add(e)} aria-label="Add a user name for a VM">
        <div>
          <label for="per-vm-id">VM resource id or portal address</label>
          <input
            id="per-vm-id"
            type="text"
            spellcheck={false}
            autocomplete="off"
            placeholder="/subscriptions/…/virtualMachines/vm1"
            value={vmText}
            aria-invalid={vmError !== null}
            aria-describedby={vmError ? 'per-vm-id-error' : undefined}
            onInput={(e) => setVmText(e.currentTarget.value)}
          />
          <FieldError id="per-vm-id-error" message={vmError} />
        </div>
        <div>
          <label for="per-vm-user">User name</label>
          <input
            id="per-vm-user"
            type="text"
            spellcheck={false}
            autocomplete="off"
            placeholder=".\azureuser"
            value={userText}
            aria-invalid={userError !== null}
            aria-describedby={userError ? 'per-vm-user-error' : undefined}
            onInput={(e) => setUserText(e.currentTarget.value)}
          />
          <FieldError id="per-vm-user-error" message={userError} />
        </div>
        <button type="submit">Add</button>
      </form>
    </PerVmList>
  );
}
