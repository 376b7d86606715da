"""The LINE adapter: webhook, conversation, messages, rich menu and the development simulator.

Residents file and follow cases by chatting with the organization's LINE Official Account. The
package depends on the domain (``cases``, ``notifications``), never the other way round.
"""
