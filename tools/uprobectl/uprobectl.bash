# SPDX-License-Identifier: GPL-2.0
# bash completion for uprobectl(8).
_uprobectl()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "add del list trace run symbols sdt stats version --help" -- "$cur"))
		return
	fi
	case $prev in
	--pid)
		COMPREPLY=($(compgen -W "$(ls /proc 2>/dev/null | grep '^[0-9]')" -- "$cur"))
		return ;;
	--name|--count|--duration|--buffer-size)
		return ;;
	esac
	case $cmd in
	add)
		COMPREPLY=($(compgen -W "--pid --name --ret --exit --dry-run --help" -- "$cur")) ;;
	del|trace)
		local ids
		ids=$(uprobectl list --json 2>/dev/null | grep -o '"id":[0-9]*' | cut -d: -f2)
		if [ "$cmd" = del ]; then
			COMPREPLY=($(compgen -W "--all --help $ids" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--json --pid --count --duration --buffer-size --help $ids" -- "$cur"))
		fi ;;
	list|stats)
		COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	run)
		COMPREPLY=($(compgen -W "--json --trace --buffer-size --ret --exit --latency --help --" -- "$cur")) ;;
	symbols|sdt)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
	# PATH: in a target, complete the file part.
	if [ ${#COMPREPLY[@]} -eq 0 ] && [[ $cur != *:* ]] && [[ $cmd == add || $cmd == run ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _uprobectl uprobectl
